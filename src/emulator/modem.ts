import { EventEmitter } from 'node:events';
import { GatewayError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import { type CommandContext, defaultSettings, type ModemSettings } from './commands/context.js';
import { executeCommandLine } from './commands/dispatch.js';
import { createRandom } from './identity.js';
import { LineWriter } from './line-writer.js';
import {
  DEFAULT_IDENTITY,
  DEFAULT_MODEM_OPTIONS,
  DEFAULT_SMSC,
  type InjectSmsSpec,
} from './modem-defaults.js';
import { type DeliveryHost, NetworkDelivery } from './network-delivery.js';
import { getModemProfile } from './profiles.js';
import { formatFinalResult } from './reply-format.js';
import { SmsStorage, type StorageName } from './sms-storage.js';
import { renderDirectDelivery, renderTextModeMessage } from './text-mode.js';
import type {
  EmulatedModemEvents,
  EmulatedModemOptions,
  EmulatedSimIdentity,
  ModemProfile,
  StoredMessage,
} from './types.js';
import { WirePacer, wireTimeMs } from './wire-pacer.js';

const MAX_LINE_LENGTH = 2048;

export { DEFAULT_MODEM_OPTIONS, type InjectSmsSpec } from './modem-defaults.js';

/**
 * An emulated USB GSM modem: bytes from the host in (`hostWrite`), bytes to the host out
 * (`output` event), paced at the serial line speed. Implements the TS 27.007 / TS 27.005
 * commands an SMS receiver sends, vendor quirks from a profile, and faults on demand.
 */
export class EmulatedModem extends EventEmitter<EmulatedModemEvents> {
  readonly profile: ModemProfile;
  readonly identity: EmulatedSimIdentity;
  readonly storage: SmsStorage;
  readonly baudRate: number;
  readonly name: string;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #options: Required<
    Omit<EmulatedModemOptions, 'profile' | 'identity' | 'logger' | 'name' | 'now' | 'simPin'>
  >;
  readonly #simPin: string | null;
  readonly #pacer: WirePacer;
  readonly #out: LineWriter;
  readonly #delivery: NetworkDelivery;
  #settings: ModemSettings;
  #lineBuffer = '';
  readonly #commandQueue: string[] = [];
  #processing = false;
  #bootTimers: NodeJS.Timeout[] = [];
  #noiseTimer: NodeJS.Timeout | null = null;
  #noiseCursor = 0;
  #random: () => number;
  #context: CommandContext;
  #smsReady = true;
  #nextReference = 0;
  #simBusyRemaining = 0;
  #hung = false;
  #plugged = true;
  #disposed = false;
  /** Counters for tests and benchmarks. */
  readonly counters = { cmtiSent: 0, cmtSent: 0, stored: 0, deleted: 0, acked: 0, commands: 0, reboots: 0 };

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
    this.#settings = defaultSettings(this.profile);
    this.#pacer = new WirePacer({
      baudRate: this.baudRate,
      now: this.#now,
      deliver: (bytes) => this.emit('output', bytes),
      receive: (bytes) => this.#receive(bytes),
    });
    this.#out = new LineWriter(this.#pacer, this.profile, () => this.#plugged && !this.#disposed);
    this.#context = this.#createContext();
    this.#delivery = new NetworkDelivery(this.#deliveryHost(), this.#options.cnmaTimeoutMs);
    this.#simBusyRemaining = this.#options.simBusyCommands;
    if (this.#options.noiseIntervalMs > 0) this.#startNoise();
    if (this.#options.bootOnStart) {
      // Booted on the next turn so transports can subscribe to the boot URCs first.
      this.#smsReady = !this.profile.smsBusyUntilBooted;
      this.#bootTimers.push(setTimeout(() => this.#boot('power-on'), 0));
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
    return this.#smsReady;
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
    const pdu = pduHex.trim().toUpperCase();
    if (pdu.length < 4 || pdu.length % 2 !== 0 || !/^[0-9A-F]+$/.test(pdu)) {
      throw new GatewayError('EMU_INVALID_PDU', 'injected PDU must be an even-length hex string', {
        context: { modem: this.name, length: pdu.length },
      });
    }
    this.#delivery.enqueue(pdu);
  }

  /**
   * A text message arrives: encoded with the product's SMS-DELIVER encoder (TS 23.040), split
   * into concatenated parts when long. Defaults: time stamp now, SMSC `+79000000000`, a fresh
   * 8-bit reference per message. Returns the PDUs in arrival order.
   */
  async injectSms(spec: InjectSmsSpec): Promise<string[]> {
    const { encodeSmsDeliver } = await import('../sms/encode-deliver.js');
    this.#nextReference = (this.#nextReference + 1) & 0xff;
    const { order, ...deliver } = spec;
    const pdus = encodeSmsDeliver({
      ...deliver,
      timestamp: deliver.timestamp ?? new Date(),
      smsc: deliver.smsc === undefined ? DEFAULT_SMSC : deliver.smsc,
      reference: deliver.reference ?? this.#nextReference,
    });
    return this.injectPduParts(pdus, order ? { order } : {});
  }

  /** Several parts of one message, in the given arrival order (default: as given). */
  injectPduParts(
    parts: readonly string[],
    options: { order?: 'in-order' | 'reversed' | 'shuffled' } = {},
  ): string[] {
    const ordered = [...parts];
    if (options.order === 'reversed') ordered.reverse();
    if (options.order === 'shuffled') {
      for (let i = ordered.length - 1; i > 0; i--) {
        const j = Math.floor(this.#random() * (i + 1));
        [ordered[i], ordered[j]] = [ordered[j] as string, ordered[i] as string];
      }
    }
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
    this.#lineBuffer = '';
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
    for (let i = 0; i < count; i++) this.#sendNoise();
  }

  /** The next `count` stored messages get no +CMTI (stored silently). */
  dropNextCmti(count = 1): void {
    this.#delivery.dropNextIndications(count);
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

  /** Radio state for +CSQ / +CREG / +COPS: signal 0-31, registered or not (no service). */
  setRadio(radio: { signal?: number; registered?: boolean }): void {
    if (radio.signal !== undefined) this.#context.signal = radio.signal;
    if (radio.registered !== undefined) this.#context.registered = radio.registered;
  }

  /** Stops every timer; the modem no longer answers. */
  dispose(): void {
    this.#disposed = true;
    this.#pacer.clear();
    this.#clearBootTimers();
    this.#delivery.dispose();
    if (this.#noiseTimer !== null) clearInterval(this.#noiseTimer);
    this.#noiseTimer = null;
    this.removeAllListeners();
  }

  // ---- line handling ---------------------------------------------------------------------

  #receive(bytes: Uint8Array): void {
    if (!this.#plugged || this.#hung || this.#disposed) return;
    if (this.#settings.echo) this.#out.bytes(bytes);
    for (const byte of bytes) {
      if (byte === 0x0d) {
        const line = this.#lineBuffer.trim();
        this.#lineBuffer = '';
        if (/^AT/i.test(line)) {
          this.#commandQueue.push(line);
          this.#processNext();
        }
      } else if (byte === 0x08) this.#lineBuffer = this.#lineBuffer.slice(0, -1);
      else if (byte !== 0x0a && this.#lineBuffer.length < MAX_LINE_LENGTH)
        this.#lineBuffer += String.fromCharCode(byte);
    }
  }

  #processNext(): void {
    if (this.#processing) return;
    const line = this.#commandQueue.shift();
    if (line === undefined) return;
    this.#processing = true;
    this.counters.commands += 1;
    this.emit('command', line);
    const simBusy = this.#simBusyRemaining > 0;
    if (simBusy) this.#simBusyRemaining -= 1;
    const outcome = executeCommandLine(line, this.#context, { simBusy, smsReady: this.#smsReady });
    const finish = () => {
      this.#processing = false;
      if (this.#hung || !this.#plugged || this.#disposed) return;
      if (outcome.lines.length > 0) this.#out.information(outcome.lines);
      this.#out.line(formatFinalResult(outcome.final, this.#settings.cmee));
      outcome.after?.();
      this.#delivery.pump();
      this.#processNext();
    };
    if (this.#options.replyDelayMs > 0) setTimeout(finish, this.#options.replyDelayMs);
    else finish();
  }

  // ---- output ----------------------------------------------------------------------------

  #sendNoise(): void {
    const noise = this.profile.noiseUrcs;
    if (noise.length === 0) return;
    this.#out.line(noise[this.#noiseCursor % noise.length] as string);
    this.#noiseCursor += 1;
  }

  #startNoise(): void {
    this.#noiseTimer = setInterval(() => {
      if (this.#plugged && !this.#hung) this.#sendNoise();
    }, this.#options.noiseIntervalMs);
    this.#noiseTimer.unref?.();
  }

  // ---- boot ------------------------------------------------------------------------------

  #clearBootTimers(): void {
    for (const timer of this.#bootTimers) clearTimeout(timer);
    this.#bootTimers = [];
  }

  #boot(reason: string): void {
    if (this.#disposed || !this.#plugged) return;
    this.#clearBootTimers();
    this.counters.reboots += 1;
    this.#log.info({ reason }, 'reboot');
    this.#settings = defaultSettings(this.profile);
    this.#context.pinUnlocked = this.#simPin === null;
    this.#context.functionality = 1;
    this.#context.registered = true;
    this.#lineBuffer = '';
    this.#commandQueue.length = 0;
    this.#hung = false;
    this.#simBusyRemaining = this.#options.simBusyCommands;
    this.#delivery.reset();
    this.emit('reboot', { reason, atMs: this.#now() });
    const urcs = this.profile.bootUrcs;
    this.#smsReady = !this.profile.smsBusyUntilBooted || urcs.length === 0;
    urcs.forEach((urc, i) => {
      const last = i === urcs.length - 1;
      const timer = setTimeout(() => {
        this.#out.line(urc.line);
        if (last) {
          this.#smsReady = true;
          this.#delivery.pump();
        }
      }, urc.afterMs * this.#options.bootTimeScale);
      this.#bootTimers.push(timer);
    });
    // The network retries what it held while the modem was away (unplugged, rebooting).
    if (this.#smsReady) this.#delivery.pump();
  }

  // ---- wiring ----------------------------------------------------------------------------

  #deliveryHost(): DeliveryHost {
    return {
      canDeliver: () =>
        this.#plugged &&
        !this.#hung &&
        this.#smsReady &&
        !this.#disposed &&
        this.#context.functionality === 1,
      settings: () => this.#settings,
      storage: this.storage,
      now: this.#now,
      sendIndication: (storage, index) => {
        this.counters.cmtiSent += 1;
        this.#out.line(`+CMTI: "${storage}",${index}`, (atMs) =>
          this.emit('cmtiSent', { storage, index, atMs }),
        );
      },
      sendDirect: (pdu) => {
        this.counters.cmtSent += 1;
        const text = renderDirectDelivery(this.#settings, pdu);
        this.#out.bytes(Buffer.from(text, 'utf8'), (atMs) => this.emit('cmtSent', { pdu, atMs }));
      },
      stored: (message) => {
        this.counters.stored += 1;
        this.emit('stored', message);
      },
      acked: (pdu) => {
        this.counters.acked += 1;
        this.emit('acked', { pdu, atMs: this.#now() });
      },
      memoryFull: () => {
        if (this.profile.memFullUrc) this.#out.line(this.profile.memFullUrc);
      },
    };
  }

  #createContext(): CommandContext {
    const modem = this;
    return {
      profile: this.profile,
      identity: this.identity,
      get settings() {
        return modem.#settings;
      },
      storage: this.storage,
      now: this.#now,
      pinUnlocked: this.#simPin === null,
      simPin: this.#simPin,
      signal: 20,
      registered: true,
      functionality: 1,
      readCount: 0,
      reboot: (reason) => this.#boot(reason),
      resetSettings: () => {
        this.#settings = defaultSettings(this.profile);
      },
      acknowledgeDirect: () => this.#delivery.acknowledge(),
      messageDeleted: (memory: StorageName, message: StoredMessage) => {
        this.counters.deleted += 1;
        this.emit('deleted', { storage: memory, index: message.index, pdu: message.pdu, atMs: this.#now() });
        this.#delivery.spaceFreed();
      },
      textModeHeader: (message, listIndex) => renderTextModeMessage(this.#settings, message, listIndex),
    };
  }
}
