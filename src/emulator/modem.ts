import { EventEmitter } from 'node:events';
import { type Logger, silentLogger } from '../log.js';
import { BootSequence } from './boot-sequence.js';
import { CommandRunner } from './command-runner.js';
import { type CommandContext, defaultSettings, type ModemSettings } from './commands/context.js';
import { executeCommandLine } from './commands/dispatch.js';
import { createRandom } from './identity.js';
import { encodeInjectedSms, normaliseInjectedPdu, orderParts, type PartOrder } from './injection.js';
import { LineWriter } from './line-writer.js';
import { DEFAULT_IDENTITY, DEFAULT_MODEM_OPTIONS, type InjectSmsSpec } from './modem-defaults.js';
import {
  createCommandContext,
  createDeliveryHost,
  type ModemCounters,
  type ModemInternals,
  zeroCounters,
} from './modem-wiring.js';
import { NetworkDelivery } from './network-delivery.js';
import { NetworkRegistration } from './network-registration.js';
import { NoiseUrcs } from './noise-urcs.js';
import { getModemProfile } from './profiles.js';
import { SmsStorage } from './sms-storage.js';
import { SubscriberServices } from './subscriber.js';
import type {
  EmulatedModemEvents,
  EmulatedModemOptions,
  EmulatedSimIdentity,
  ModemProfile,
  StoredMessage,
} from './types.js';
import { WirePacer, wireTimeMs } from './wire-pacer.js';

export { DEFAULT_MODEM_OPTIONS, type InjectSmsSpec } from './modem-defaults.js';

/**
 * An emulated USB GSM modem: bytes from the host in (`hostWrite`), bytes to the host out
 * (`output` event), paced at the serial line speed. Implements the TS 27.007 / TS 27.005
 * commands an SMS receiver sends, vendor quirks from a profile, and faults on demand. The
 * command loop, the boot URCs and the network model live in their own modules; this class
 * holds the state they share and the fault switches.
 */
export class EmulatedModem extends EventEmitter<EmulatedModemEvents> {
  readonly profile: ModemProfile;
  readonly identity: EmulatedSimIdentity;
  readonly storage: SmsStorage;
  readonly subscriber: SubscriberServices;
  readonly baudRate: number;
  readonly name: string;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #options: Required<
    Omit<EmulatedModemOptions, 'profile' | 'identity' | 'logger' | 'name' | 'now' | 'simPin' | 'subscriber'>
  >;
  readonly #simPin: string | null;
  readonly #pacer: WirePacer;
  readonly #out: LineWriter;
  readonly #delivery: NetworkDelivery;
  readonly #commands: CommandRunner;
  readonly #bootSequence: BootSequence;
  #settings: ModemSettings;
  readonly #noise: NoiseUrcs;
  #random: () => number;
  #context: CommandContext;
  #nextReference = 0;
  #simBusyRemaining = 0;
  #powerOnTimer: NodeJS.Timeout | null = null;
  #hung = false;
  readonly #registration = new NetworkRegistration();
  #plugged = true;
  #disposed = false;
  /** Counters for tests and benchmarks. */
  readonly counters: ModemCounters = zeroCounters();

  constructor(options: EmulatedModemOptions = {}) {
    super();
    this.profile =
      typeof options.profile === 'object' ? options.profile : getModemProfile(options.profile ?? 'generic');
    this.identity = { ...DEFAULT_IDENTITY, ...options.identity };
    this.name = options.name ?? `${this.profile.name}-${this.identity.imei.slice(-4)}`;
    this.#log = (options.logger ?? silentLogger()).child({ layer: 'emulator', modem: this.name });
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.#options = {
      baudRate: options.baudRate ?? DEFAULT_MODEM_OPTIONS.baudRate,
      packetBytes: options.packetBytes ?? DEFAULT_MODEM_OPTIONS.packetBytes,
      simCapacity: options.simCapacity ?? DEFAULT_MODEM_OPTIONS.simCapacity,
      meCapacity: options.meCapacity ?? DEFAULT_MODEM_OPTIONS.meCapacity,
      bootTimeScale: options.bootTimeScale ?? DEFAULT_MODEM_OPTIONS.bootTimeScale,
      bootOnStart: options.bootOnStart ?? DEFAULT_MODEM_OPTIONS.bootOnStart,
      simBusyCommands: options.simBusyCommands ?? DEFAULT_MODEM_OPTIONS.simBusyCommands,
      replyDelayMs: options.replyDelayMs ?? DEFAULT_MODEM_OPTIONS.replyDelayMs,
      cnmaTimeoutMs: options.cnmaTimeoutMs ?? DEFAULT_MODEM_OPTIONS.cnmaTimeoutMs,
      noiseIntervalMs: options.noiseIntervalMs ?? DEFAULT_MODEM_OPTIONS.noiseIntervalMs,
      seed: options.seed ?? DEFAULT_MODEM_OPTIONS.seed,
    };
    this.#simPin = options.simPin ?? null;
    this.baudRate = this.#options.baudRate;
    this.#random = createRandom(this.#options.seed);
    this.storage = new SmsStorage({
      simCapacity: this.#options.simCapacity,
      meCapacity: this.#options.meCapacity,
      firstIndex: this.profile.firstIndex,
    });
    this.subscriber = SubscriberServices.create(options.subscriber, this.profile.name, this.identity);
    this.#settings = defaultSettings(this.profile);
    this.#pacer = new WirePacer({
      baudRate: this.baudRate,
      packetBytes: this.#options.packetBytes,
      now: this.#now,
      deliver: (bytes) => this.emit('output', bytes),
      receive: (bytes) => this.#commands.receive(bytes),
    });
    this.#out = new LineWriter(this.#pacer, this.profile, () => this.#plugged && !this.#disposed);
    const internals = this.#internals();
    this.#context = createCommandContext(internals);
    this.#delivery = new NetworkDelivery(
      createDeliveryHost(internals, () => this.#context),
      this.#options.cnmaTimeoutMs,
    );
    this.#commands = new CommandRunner({
      out: this.#out,
      isLive: () => this.#plugged && !this.#hung && !this.#disposed,
      echo: () => this.#settings.echo,
      cmee: () => this.#settings.cmee,
      replyDelayMs: () => this.#options.replyDelayMs,
      execute: (line) => this.#execute(line),
      answered: () => this.#delivery.pump(),
    });
    this.#bootSequence = new BootSequence({
      profile: this.profile,
      out: this.#out,
      timeScale: this.#options.bootTimeScale,
      now: this.#now,
      onSmsReady: () => this.#delivery.pump(),
    });
    this.#simBusyRemaining = this.#options.simBusyCommands;
    this.#noise = new NoiseUrcs(this.profile.noiseUrcs, (line) =>
      this.#out.line(this.#registration.noiseLine(line, this.#context)),
    );
    if (this.#options.noiseIntervalMs > 0) {
      this.#noise.start(this.#options.noiseIntervalMs, () => this.#plugged && !this.#hung);
    }
    if (this.#options.bootOnStart) {
      // Booted on the next turn so transports can subscribe to the boot URCs first.
      this.#bootSequence.poweredOn();
      this.#powerOnTimer = setTimeout(() => this.#boot('power-on'), 0);
    }
  }

  /** Milliseconds `byteCount` bytes take on this modem's line (10 bits per byte). */
  wireTimeMs(byteCount: number): number {
    return wireTimeMs(byteCount, this.baudRate);
  }

  /** Messages deleted by `AT+CMGD` so far. */
  get deletedCount(): number {
    return this.counters.deleted;
  }

  /** `+CMTI` URCs sent so far. */
  get cmtiSentCount(): number {
    return this.counters.cmtiSent;
  }

  /** Current settings (CNMI, CMGF, ...), for assertions. */
  get settings(): Readonly<ModemSettings> {
    return this.#settings;
  }

  get isHung(): boolean {
    return this.#hung;
  }

  get isPlugged(): boolean {
    return this.#plugged;
  }

  /** True once the boot sequence finished (SIMCom `SMS Ready`, Quectel `+QIND: SMS DONE`). */
  get isSmsReady(): boolean {
    return this.#bootSequence.smsReady;
  }

  /** Messages waiting in the network (storage full, direct delivery pending, modem hung). */
  get networkQueueLength(): number {
    return this.#delivery.queueLength;
  }

  /** Bytes from the host (the transport calls this); processed after their wire time. */
  hostWrite(bytes: Uint8Array): void {
    if (!this.#plugged || this.#disposed) return;
    this.#pacer.accept(bytes);
  }

  /** Everything stored, all memories, in index order. */
  storedMessages(): StoredMessage[] {
    return this.storage.list('MT');
  }

  // ---- injection -------------------------------------------------------------------------

  /** A message arrives from the network as an SMS-DELIVER PDU (hex, SMSC field included). */
  injectPdu(pduHex: string): void {
    this.#delivery.enqueue(normaliseInjectedPdu(pduHex, this.name));
  }

  /**
   * A text message arrives: encoded with the product's SMS-DELIVER encoder (TS 23.040), split
   * into concatenated parts when long. Defaults: time stamp now, SMSC `+79000000000`, a fresh
   * 8-bit reference per message. Returns the PDUs in arrival order.
   */
  async injectSms(spec: InjectSmsSpec): Promise<string[]> {
    this.#nextReference = (this.#nextReference + 1) & 0xff;
    const pdus = await encodeInjectedSms(spec, this.#nextReference);
    return this.injectPduParts(pdus, spec.order ? { order: spec.order } : {});
  }

  /** Several parts of one message, in the given arrival order (default: as given). */
  injectPduParts(parts: readonly string[], options: { order?: PartOrder } = {}): string[] {
    const ordered = orderParts(parts, options.order, this.#random);
    for (const part of ordered) this.injectPdu(part);
    return ordered;
  }

  // ---- faults ----------------------------------------------------------------------------

  /** The firmware stops answering (input is read and discarded; SMS wait in the network). */
  hang(): void {
    this.#hung = true;
    this.#log.info('fault: hang');
  }

  unhang(): void {
    this.#hung = false;
    this.#commands.clearLine();
    this.#delivery.pump();
  }

  /** USB unplug: the port vanishes; transports close the host side. Storage is kept. */
  unplug(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    this.#pacer.clear();
    this.#clearBootTimers();
    this.#log.info('fault: unplug');
    this.emit('unplugged');
  }

  /** USB re-enumeration: the port comes back (the transport picks the path) and the modem boots. */
  replug(): void {
    if (this.#plugged) return;
    this.#plugged = true;
    this.emit('replugged');
    this.#boot('replug');
  }

  /** Sends `byteCount` random bytes (line noise, a firmware crash dump). */
  sendGarbage(byteCount = 64): void {
    const bytes = new Uint8Array(byteCount);
    for (let i = 0; i < byteCount; i++) bytes[i] = Math.floor(this.#random() * 256);
    this.#out.bytes(bytes);
  }

  /** Sends `count` vendor noise URCs back to back. */
  urcStorm(count = 50): void {
    for (let i = 0; i < count; i++) this.#noise.sendNext();
  }

  /** The next `count` stored messages get no +CMTI (stored silently). */
  dropNextCmti(count = 1): void {
    this.#delivery.dropNextIndications(count);
  }

  /** While on, every stored message gets no +CMTI (a lost URC port, a firmware bug). */
  setCmtiDropped(dropped: boolean): void {
    this.#delivery.dropAllIndications(dropped);
  }

  /** SMS commands answer `+CMS ERROR: 314` for `durationMs`, then the SMS-ready URC comes. */
  holdSmsBusy(durationMs: number): void {
    this.#bootSequence.hold(durationMs);
  }

  /** Delays every answer by `delayMs` (0 = normal). */
  setReplyDelay(delayMs: number): void {
    this.#options.replyDelayMs = delayMs;
  }

  /** The SIM answers busy (CMS 314 / CME 14) for the next `commandCount` commands. */
  simBusy(commandCount: number): void {
    this.#simBusyRemaining = commandCount;
  }

  /** Changes a memory's capacity, e.g. `setStorageCapacity('SM', 0)` for "storage full". */
  setStorageCapacity(memory: 'SM' | 'ME', capacity: number): void {
    this.storage.setCapacity(memory, capacity);
    this.#delivery.pump();
  }

  /** Fills the free slots of `memory` with read filler messages (storage full). */
  fillStorage(memory: 'SM' | 'ME' = 'SM'): void {
    const filler = '0791721490000000040B917238880900F100009930925161958003C16010';
    let stored = this.storage.store(memory, filler, 1, this.#now());
    while (stored) stored = this.storage.store(memory, filler, 1, this.#now());
  }

  /** A reboot nobody asked for (brown-out): boot URCs, settings back to defaults, storage kept. */
  silentReset(): void {
    this.#boot('silent-reset');
  }

  /** Radio for +CSQ / +CREG / +COPS; a SIM off the network stays off across reboots (+CREG URC). */
  setRadio(radio: { signal?: number; registered?: boolean }): void {
    if (radio.signal !== undefined) this.#context.signal = radio.signal;
    if (radio.registered !== undefined) {
      this.#registration.set(radio.registered, this.#context, this.#settings, this.#out);
    }
  }

  /** While on, every SMS read (`AT+CMGR`, `AT+CMGL`) answers `+CMS ERROR: 500` (a blocked SIM). */
  setReadsFailing = (failing: boolean): void => this.#registration.failReads(failing);

  /** Stops every timer; the modem no longer answers. */
  dispose(): void {
    this.#disposed = true;
    this.#pacer.clear();
    this.#clearBootTimers();
    this.#bootSequence.dispose();
    this.#delivery.dispose();
    this.subscriber.cancel();
    this.#noise.stop();
    this.removeAllListeners();
  }

  // ---- commands ------------------------------------------------------------------------

  #execute(line: string) {
    this.counters.commands += 1;
    this.emit('command', line);
    const simBusy = this.#simBusyRemaining > 0;
    if (simBusy) this.#simBusyRemaining -= 1;
    const { smsReady } = this.#bootSequence;
    return executeCommandLine(line, this.#context, { simBusy, smsReady, ...this.#registration.gate() });
  }

  // ---- boot ------------------------------------------------------------------------------

  #clearBootTimers(): void {
    if (this.#powerOnTimer !== null) clearTimeout(this.#powerOnTimer);
    this.#powerOnTimer = null;
    this.#bootSequence.clear();
  }

  #boot(reason: string): void {
    if (this.#disposed || !this.#plugged) return;
    this.#clearBootTimers();
    this.counters.reboots += 1;
    this.#log.info({ reason }, 'reboot');
    this.#settings = defaultSettings(this.profile);
    this.#context.pinUnlocked = this.#simPin === null;
    this.#context.functionality = 1;
    this.#context.registered = !this.#registration.refused;
    this.#commands.reset();
    this.#hung = false;
    this.#simBusyRemaining = this.#options.simBusyCommands;
    this.#delivery.reset();
    this.subscriber.cancel();
    this.emit('reboot', { reason, atMs: this.#now() });
    this.#bootSequence.start();
    // The network retries what it held while the modem was away (unplugged, rebooting).
    if (this.#bootSequence.smsReady) this.#delivery.pump();
  }

  // ---- wiring ----------------------------------------------------------------------------

  #internals(): ModemInternals {
    return {
      profile: this.profile,
      identity: this.identity,
      storage: this.storage,
      subscriber: this.subscriber,
      counters: this.counters,
      out: this.#out,
      simPin: this.#simPin,
      now: this.#now,
      settings: () => this.#settings,
      setSettings: (settings) => {
        this.#settings = settings;
      },
      delivery: () => this.#delivery,
      canReceive: () => this.#plugged && !this.#hung && this.#bootSequence.smsReady && !this.#disposed,
      reboot: (reason) => this.#boot(reason),
      emit: this.emit.bind(this),
    };
  }
}
