import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import { splitDevNumber } from '../modem/probe/dev-number.js';
import { AuxTty } from './aux-tty.js';
import { type FakeUsbDevice, writeFakeSysfs } from './fake-sysfs.js';
import { generateIdentity } from './identity.js';
import { EmulatedModem } from './modem.js';
import { MODEM_PROFILE_NAMES } from './profiles.js';
import { PtyModemPort } from './pty-port.js';
import type { EmulatedModemOptions, ModemProfileName } from './types.js';
import { EMULATED_USB_LAYOUTS } from './usb-layouts.js';

export interface EmulatedFarmOptions {
  /** Number of modems. */
  count: number;
  /**
   * One profile for all, a list used round-robin, or `mixed` (every built-in profile in turn).
   * Default `generic`.
   */
  profiles?: ModemProfileName | readonly ModemProfileName[] | 'mixed';
  /** Seed of the identities (IMEI/IMSI/ICCID/number): same seed, same farm. */
  seed?: number;
  /** Directory for the pty links; default a fresh temp directory, removed by `stop()`. */
  directory?: string;
  /** Options applied to every modem (identity and profile are set by the farm). */
  modemOptions?: Omit<EmulatedModemOptions, 'identity' | 'profile' | 'name'>;
  socatPath?: string;
  /** Pty relay program (default `auto`: socat, else python3; `direct`: no relay, see pty-port.ts). */
  relay?: 'auto' | 'socat' | 'python' | 'direct';
  /**
   * Show each modem as a USB device with all its ttys (`modem-00-if00`, `-if01`, ...: some
   * silent, some streaming NMEA, one or two answering AT, see usb-layouts.ts) and describe them
   * in a fake sysfs tree at `<directory>/sysfs`, as the kernel would. Default: one tty per modem.
   */
  usbPorts?: boolean;
  /** Path of a tty after the n-th replug; default `<path>-r<n>` (a new name, as ttyUSBn get). */
  replugPath?: (linkPath: string, replugCount: number) => string;
  logger?: Logger;
}

/** A description of one farm modem, as the CLI prints it. */
export interface FarmModemInfo {
  slot: number;
  path: string;
  profile: ModemProfileName;
  iccid: string;
  imsi: string;
  imei: string;
  phoneNumber: string;
}

/**
 * N emulated modems, each on its own pty (`<dir>/modem-00`, ...) with a deterministic identity.
 * `stop()` kills every relay; relays are also killed when the process exits.
 */
export class EmulatedFarm {
  readonly #options: EmulatedFarmOptions;
  readonly #log: Logger;
  readonly #modems: EmulatedModem[] = [];
  readonly #ports: PtyModemPort[] = [];
  readonly #auxPorts: PtyModemPort<AuxTty>[][] = [];
  /** Per slot: the tty path of every interface that is up, by interface number (usbPorts only). */
  readonly #usbDevices: { device: FakeUsbDevice; driver: string; paths: Map<number, string> }[] = [];
  #directory: string | null = null;
  #ownsDirectory = false;

  constructor(options: EmulatedFarmOptions) {
    if (!Number.isInteger(options.count) || options.count < 1) {
      throw new GatewayError('EMU_BAD_OPTIONS', 'farm needs a positive integer count', {
        context: { count: options.count },
      });
    }
    this.#options = options;
    this.#log = options.logger ?? silentLogger();
  }

  get size(): number {
    return this.#modems.length;
  }

  /** Directory holding the pty links (after `start()`). */
  get directory(): string {
    if (this.#directory === null) throw new GatewayError('EMU_NOT_STARTED', 'farm not started');
    return this.#directory;
  }

  /** Root of the fake sysfs tree describing the modems' USB ttys (with `usbPorts`). */
  get sysfsRoot(): string {
    return join(this.directory, 'sysfs');
  }

  /** Creates the modems and their ptys; resolves when every link exists. */
  async start(): Promise<void> {
    if (this.#directory !== null) return;
    this.#ownsDirectory = this.#options.directory === undefined;
    this.#directory = this.#options.directory ?? mkdtempSync(join(tmpdir(), 'simbridge-emu-'));
    // A directory the caller named may not exist yet (`simbridge emulator --dir /tmp/farm`).
    mkdirSync(this.#directory, { recursive: true });
    const seed = this.#options.seed ?? 1;
    for (let slot = 0; slot < this.#options.count; slot++) {
      const profile = this.#profileFor(slot);
      const name = `modem-${String(slot).padStart(2, '0')}`;
      const modem = new EmulatedModem({
        ...this.#options.modemOptions,
        seed: seed * 1000 + slot,
        name,
        profile,
        identity: generateIdentity(seed, slot),
        logger: this.#log,
      });
      this.#modems.push(modem);
      if (this.#options.usbPorts) this.#addUsbModem(slot, modem, profile);
      else this.#ports.push(this.#pty(modem, join(this.#directory, name)));
    }
    try {
      await startAll([...this.#ports, ...this.#auxPorts.flat()]);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  #pty<E extends EmulatedModem | AuxTty>(
    endpoint: E,
    linkPath: string,
    onLinkReady?: (path: string, rdev: number) => void,
  ) {
    return new PtyModemPort<E>({
      modem: endpoint,
      linkPath,
      logger: this.#log,
      ...(this.#options.socatPath ? { socatPath: this.#options.socatPath } : {}),
      ...(this.#options.relay ? { relay: this.#options.relay } : {}),
      ...(onLinkReady ? { onLinkReady } : {}),
      ...(this.#options.replugPath ? { replugPath: this.#options.replugPath } : {}),
    });
  }

  #addUsbModem(slot: number, modem: EmulatedModem, profile: ModemProfileName): void {
    const layout = EMULATED_USB_LAYOUTS[profile];
    const device: FakeUsbDevice = {
      busPort: `1-1.${slot + 1}`,
      vendorId: layout.vendorId,
      productId: layout.productId,
      serial: `EMU${modem.identity.imei.slice(-8)}`,
      manufacturer: modem.profile.manufacturer,
      product: modem.profile.model,
      interfaces: [],
    };
    const entry = { device, driver: layout.driver, paths: new Map<number, string>() };
    this.#usbDevices.push(entry);
    // Every interface goes with the device; each comes back with a new pty on replug.
    modem.on('unplugged', () => entry.paths.clear());
    const aux: PtyModemPort<AuxTty>[] = [];
    for (const tty of layout.ttys) {
      const linkPath = join(this.directory, `${modem.name}-if${String(tty.number).padStart(2, '0')}`);
      const onLinkReady = (path: string, rdev: number) => {
        entry.paths.set(tty.number, path);
        this.#describeTty(slot, tty.number, rdev);
      };
      if (tty.kind === 'modem') {
        this.#ports.push(this.#pty(modem, linkPath, onLinkReady));
        continue;
      }
      const endpoint = new AuxTty({
        name: `${modem.name}-if${tty.number}`,
        kind: tty.kind,
        modem,
        ...(layout.answers ? { answers: layout.answers } : {}),
      });
      aux.push(this.#pty(endpoint, linkPath, onLinkReady));
    }
    this.#auxPorts.push(aux);
  }

  /** Describes one tty of a slot's USB device in the fake sysfs, with its pty's device number. */
  #describeTty(slot: number, number: number, rdev: number): void {
    const entry = this.#usbDevices[slot];
    if (!entry || this.#directory === null) return;
    const iface = {
      number,
      driver: entry.driver,
      tty: `ttyUSB${slot * 8 + number}`,
      devNumber: splitDevNumber(rdev),
    };
    writeFakeSysfs(this.sysfsRoot, [{ ...entry.device, interfaces: [iface] }]);
  }

  /** Every tty path of a slot (with `usbPorts`: all interfaces, in interface order). */
  ttyPaths(slot: number): string[] {
    const entry = this.#usbDevices[slot];
    if (!entry) return [this.port(slot).path];
    return [...entry.paths].sort(([a], [b]) => a - b).map(([, path]) => path);
  }

  /** The ttys of a slot other than the modem's own AT port (with `usbPorts`). */
  auxTtys(slot: number): AuxTty[] {
    return (this.#auxPorts[slot] ?? []).map((port) => port.modem);
  }

  /** Kills every relay, disposes of the modems and removes a directory the farm created. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.#ports, ...this.#auxPorts.flat()].map((port) => port.stop()));
    for (const modem of this.#modems) modem.dispose();
    for (const port of this.#auxPorts.flat()) port.modem.dispose();
    this.#auxPorts.length = 0;
    this.#usbDevices.length = 0;
    this.#ports.length = 0;
    this.#modems.length = 0;
    if (this.#directory !== null && this.#ownsDirectory)
      rmSync(this.#directory, { recursive: true, force: true });
    this.#directory = null;
  }

  modem(slot: number): EmulatedModem {
    const modem = this.#modems[slot];
    if (!modem)
      throw new GatewayError('EMU_NO_SUCH_MODEM', `no modem in slot ${slot}`, {
        context: { slot, size: this.size },
      });
    return modem;
  }

  /** The pty transport of a slot (its `path` changes after a replug). */
  port(slot: number): PtyModemPort {
    const port = this.#ports[slot];
    if (!port)
      throw new GatewayError('EMU_NO_SUCH_MODEM', `no modem in slot ${slot}`, {
        context: { slot, size: this.size },
      });
    return port;
  }

  /** Current host paths, by slot. */
  paths(): string[] {
    return this.#ports.map((port) => port.path);
  }

  modems(): readonly EmulatedModem[] {
    return this.#modems;
  }

  describe(): FarmModemInfo[] {
    return this.#modems.map((modem, slot) => ({
      slot,
      path: this.port(slot).path,
      profile: modem.profile.name,
      iccid: modem.identity.iccid,
      imsi: modem.identity.imsi,
      imei: modem.identity.imei,
      phoneNumber: modem.identity.phoneNumber,
    }));
  }

  #profileFor(slot: number): ModemProfileName {
    const choice = this.#options.profiles ?? 'generic';
    const list: readonly ModemProfileName[] =
      choice === 'mixed' ? MODEM_PROFILE_NAMES : typeof choice === 'string' ? [choice] : choice;
    return list[slot % list.length] ?? 'generic';
  }
}

/** Relays started at once: dozens of python3 relays spawned together miss their start deadline. */
const START_CONCURRENCY = 4;

async function startAll(ports: readonly { start(): Promise<void> }[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ports.length) {
      const port = ports[next];
      next += 1;
      await port?.start();
    }
  };
  await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, ports.length) }, worker));
}
