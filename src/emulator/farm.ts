import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import { generateIdentity } from './identity.js';
import { EmulatedModem } from './modem.js';
import { MODEM_PROFILE_NAMES } from './profiles.js';
import { PtyModemPort } from './pty-port.js';
import type { EmulatedModemOptions, ModemProfileName } from './types.js';

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
  /** Pty relay program (default `auto`: socat, else python3). */
  relay?: 'auto' | 'socat' | 'python';
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
      const port = new PtyModemPort({
        modem,
        linkPath: join(this.#directory, name),
        logger: this.#log,
        ...(this.#options.socatPath ? { socatPath: this.#options.socatPath } : {}),
        ...(this.#options.relay ? { relay: this.#options.relay } : {}),
      });
      this.#modems.push(modem);
      this.#ports.push(port);
    }
    try {
      await Promise.all(this.#ports.map((port) => port.start()));
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Kills every relay, disposes of the modems and removes a directory the farm created. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.#ports.map((port) => port.stop()));
    for (const modem of this.#modems) modem.dispose();
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
