import { EventEmitter } from 'node:events';
import { AtEngine, type AtEngineTimeouts } from '../at/engine.js';
import type { AtCommander } from '../at/types.js';
import type { Logger } from '../log.js';
import type { ByteChannel } from '../transport/byte-channel.js';
import { openSerialChannel } from '../transport/serial-channel.js';
import { FarmTicker } from './farm-ticker.js';
import { ModemDriver } from './modem-driver.js';
import { type ModemTimings, resolveTimings } from './options.js';
import { expandPortDevices } from './port-glob.js';
import type { AtProbeTimings } from './probe/at-probe.js';
import type { DeviceChoice } from './probe/choose-port.js';
import { PortFinder } from './probe/port-finder.js';
import type { SmsReadOutcome } from './sms-read-tap.js';
import type { ModemIdentity, ModemSnapshot, ModemState, ReceivedSms, SmsSink } from './types.js';

export interface ModemManagerOptions {
  /** Globs (`*`, `?`) and plain paths, e.g. `["/dev/gsm/*"]`. */
  ports: readonly string[];
  baudRate: number;
  sink: SmsSink;
  log: Logger;
  /** Opens a port; default `openSerialChannel({ path, baudRate, log })`. */
  openChannel?: (path: string) => Promise<ByteChannel>;
  /** Builds the engine; default `new AtEngine({ channel, log, timeouts: engineTimeouts })`. */
  createCommander?: (channel: ByteChannel, log: Logger) => AtCommander;
  engineTimeouts?: Partial<AtEngineTimeouts>;
  /** How often to look for new and vanished ports. Default 2000. */
  rescanIntervalMs?: number;
  /** Timings passed to every driver. */
  timings?: Partial<ModemTimings>;
  /** Where sysfs is mounted, to group the ttys of one USB modem. Default `/sys`. */
  sysfsRoot?: string;
  /** Deadline and tries of the `AT` sent to each candidate tty of a multi-port modem. */
  probeTimings?: Partial<AtProbeTimings>;
  /** A USB modem where no tty answered is probed again after this long. Default 10 s. */
  probeRetryMs?: number;
  /** How long the ttys of a USB modem must stay the same before it is probed. Default 1 s. */
  probeSettleMs?: number;
}

/** Events of the whole farm. */
export interface ModemManagerEvents {
  modemReady: [snapshot: ModemSnapshot];
  modemGone: [snapshot: ModemSnapshot];
  stateChanged: [port: string, state: ModemState];
  /** A message the sink accepted; `latencyMs` = accept resolved − read from the modem. */
  smsReceived: [sms: ReceivedSms, latencyMs: number];
  /** An SMS read of the SIM in `port` ended in OK or `+CMS ERROR` (SIM health). */
  smsRead: [port: string, identity: ModemIdentity | null, outcome: SmsReadOutcome];
}

/**
 * Every modem of the farm: expands the configured ports, picks the AT port of each USB modem
 * among its ttys ({@link PortFinder}), runs one {@link ModemDriver} per chosen port, rescans for
 * hotplug (new paths, vanished paths) and recognises a SIM that comes back on another path by
 * its ICCID, carrying its history (resets, reconnects, last SMS) over.
 */
export class ModemManager extends EventEmitter<ModemManagerEvents> {
  readonly #options: ModemManagerOptions;
  readonly #log: Logger;
  readonly #drivers = new Map<string, ModemDriver>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #scanning: Promise<void> | null = null;
  #warnedEmpty = false;
  /** Ports whose SIM is already served through another port. */
  readonly #ignored = new Set<string>();
  /** Consecutive scans that did not find a driver's path. */
  readonly #missing = new Map<string, number>();
  #stopped = false;
  readonly #finder: PortFinder;
  /** The last scan's choice, reused while nothing changes (see `#choose`). */
  #lastChoice: { signature: string; chosen: string[] } | null = null;
  /** One timer for every modem's storage check, staggered in groups (farm-ticker.ts). */
  readonly #storageTicker: FarmTicker;

  constructor(options: ModemManagerOptions) {
    super();
    this.#options = options;
    this.#log = options.log.child({ layer: 'modem-manager' });
    this.#storageTicker = new FarmTicker(resolveTimings(options.timings).storageCheckIntervalMs);
    this.#finder = new PortFinder({
      openChannel: (path) => this.#openChannel(path),
      log: this.#log,
      ...(options.sysfsRoot === undefined ? {} : { sysfsRoot: options.sysfsRoot }),
      ...(options.probeTimings === undefined ? {} : { timings: options.probeTimings }),
      ...(options.probeRetryMs === undefined ? {} : { retryNoAnswerMs: options.probeRetryMs }),
      ...(options.probeSettleMs === undefined ? {} : { settleMs: options.probeSettleMs }),
    });
  }

  /** Which tty of each USB modem is driven, and why (the latest probe of each device). */
  portChoices(): DeviceChoice[] {
    return this.#finder.choices();
  }

  /** Scans once, starts a driver per port found, then keeps rescanning. */
  async start(): Promise<void> {
    await this.rescan();
    this.#timer ??= setInterval(() => void this.rescan(), this.#options.rescanIntervalMs ?? 2_000);
  }

  /** One scan now (also run by the timer). */
  rescan(): Promise<void> {
    this.#scanning ??= this.#scan().finally(() => {
      this.#scanning = null;
    });
    return this.#scanning;
  }

  snapshots(): ModemSnapshot[] {
    return [...this.#drivers.values()].map((driver) => driver.snapshot());
  }

  /** The driver of one port, for operations and tests. */
  driver(port: string): ModemDriver | undefined {
    return this.#drivers.get(port);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#scanning;
    await Promise.all([...this.#drivers.values()].map((driver) => driver.stop()));
    this.#storageTicker.stop();
  }

  async #scan(): Promise<void> {
    if (this.#stopped) return;
    const devices = await expandPortDevices(this.#options.ports);
    const found = [...devices.keys()];
    if (found.length === 0 && this.#drivers.size === 0 && !this.#warnedEmpty) {
      this.#warnedEmpty = true;
      this.#log.warn(`no modem found matching ${this.#options.ports.join(', ')}; waiting for hotplug`);
    }
    const present = new Set(found);
    // A driver's path, even a gone one's, stays its device's port: with udev's stable names a
    // replugged modem comes back under the same path, and its driver reopens it without a probe.
    const chosen = await this.#choose(found, devices);
    if (this.#stopped) return;
    for (const path of chosen) {
      const driver = this.#drivers.get(path);
      if (!driver) {
        if (!this.#ignored.has(path)) this.#add(path);
      } else if (driver.state === 'gone') {
        driver.reconnect();
      }
    }
    for (const [path, driver] of this.#drivers) {
      if (present.has(path)) {
        this.#missing.delete(path);
        continue;
      }
      // Absent from two scans in a row: the device node is gone (unplug), whatever the port says.
      const misses = (this.#missing.get(path) ?? 0) + 1;
      this.#missing.set(path, misses);
      if (misses >= 2) driver.portVanished();
    }
  }

  /**
   * The finder's choice among `found`. When every port found is already driven and nothing
   * changed since the last scan (same paths, same device numbers, same drivers), its answer
   * cannot differ (a driven port is kept without a probe, and no undecided device waits on a
   * timer), so the last one is reused: an idle farm's rescan is then a glob and a stat per port.
   */
  async #choose(found: string[], devices: ReadonlyMap<string, number>): Promise<string[]> {
    const driven = new Set(this.#drivers.keys());
    const allDriven = found.every((path) => driven.has(path));
    const signature = allDriven
      ? `${[...devices].map(([path, rdev]) => `${path}=${rdev}`).join(' ')}|${[...driven].join(' ')}`
      : null;
    if (signature !== null && this.#lastChoice?.signature === signature) return this.#lastChoice.chosen;
    const chosen = await this.#finder.select(found, driven, devices);
    this.#lastChoice = signature === null ? null : { signature, chosen };
    return chosen;
  }

  #openChannel(path: string): Promise<ByteChannel> {
    const { baudRate, log } = this.#options;
    return this.#options.openChannel
      ? this.#options.openChannel(path)
      : openSerialChannel({ path, baudRate, log });
  }

  #add(path: string): void {
    if (this.#stopped) return;
    const createCommander =
      this.#options.createCommander ??
      ((channel: ByteChannel, engineLog: Logger) =>
        new AtEngine({ channel, log: engineLog, timeouts: this.#options.engineTimeouts }));
    const driver = new ModemDriver({
      port: path,
      sink: this.#options.sink,
      log: this.#options.log,
      openChannel: () => this.#openChannel(path),
      createCommander,
      timings: this.#options.timings,
      goneRetryMs: this.#options.rescanIntervalMs ?? 2_000,
      storageTicker: this.#storageTicker,
    });
    this.#drivers.set(path, driver);
    this.#log.info({ port: path }, 'modem port found');
    driver.on('stateChanged', (state, previous) => {
      this.emit('stateChanged', path, state);
      if (state === 'ready') this.emit('modemReady', driver.snapshot());
      if (state === 'gone' && previous !== 'opening') {
        this.emit('modemGone', driver.snapshot());
        // The new path may have come up before this one noticed the unplug.
        this.#mergeInto(path, driver.identity?.iccid ?? null);
      }
    });
    driver.on('identity', (identity) => this.#reidentify(path, identity.iccid));
    driver.on('smsReceived', (sms) => this.emit('smsReceived', sms, Date.now() - sms.receivedAtMs));
    driver.on('smsRead', (outcome) => this.emit('smsRead', path, driver.identity, outcome));
    driver.start();
  }

  /**
   * A SIM seen on `path` that another, gone driver knew: the modem was replugged under a new
   * name. The old driver's history moves to the new one and the old slot is dropped.
   */
  #reidentify(path: string, iccid: string | null): void {
    if (iccid === null) return;
    for (const [otherPath, other] of this.#drivers) {
      if (otherPath === path || other.identity?.iccid !== iccid) continue;
      if (other.state !== 'gone') {
        // Two AT interfaces of one modem (or a glob matching both): two drivers sweeping one
        // storage could delete a slot the other just refilled. Keep the first, park this one.
        this.#log.warn(
          { port: path, servedOn: otherPath, iccid },
          'SIM already served on another port; ignoring',
        );
        this.#ignored.add(path);
        const driver = this.#drivers.get(path);
        this.#drivers.delete(path);
        void driver?.stop();
        return;
      }
      this.#absorb(path, otherPath);
    }
  }

  /** `gonePath` just went away: if its SIM is already live on another path, merge into that. */
  #mergeInto(gonePath: string, iccid: string | null): void {
    // A parked twin port may be the way to this SIM now: let the next scan probe it again.
    this.#ignored.clear();
    if (iccid === null) return;
    for (const [otherPath, other] of this.#drivers) {
      if (otherPath !== gonePath && other.identity?.iccid === iccid && other.state !== 'gone') {
        this.#absorb(otherPath, gonePath);
        return;
      }
    }
  }

  #absorb(livePath: string, gonePath: string): void {
    const live = this.#drivers.get(livePath);
    const gone = this.#drivers.get(gonePath);
    if (!live || !gone) return;
    const history = gone.history;
    live.adoptHistory({ ...history, reconnects: history.reconnects + 1 });
    this.#drivers.delete(gonePath);
    void gone.stop();
    this.#log.info(
      { port: livePath, previousPort: gonePath, iccid: live.identity?.iccid },
      'modem came back on another port',
    );
  }
}
