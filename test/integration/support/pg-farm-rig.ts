import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { stringify } from 'yaml';
import { EmulatedFarm } from '../../../src/emulator/farm.js';
import type { EmulatedModem } from '../../../src/emulator/modem.js';
import { PgCluster } from '../../store/support/pg-cluster.js';
import { type BridgeProcess, killAllBridges, spawnBridge } from './bridge-process.js';
import { ScriptedOnlinesim } from './scripted-onlinesim.js';
import { waitUntil } from './wait.js';

/**
 * One farm on several hosts: one throw-away PostgreSQL cluster, one mock Onlinesim, and per host
 * its own emulated modems (real ptys) and its own `simbridge run` process with `storage.postgres`
 * and its own `node.name`. Every host's config lists every SIM of the farm, as one config file
 * deployed to all hosts would; each host only has some of them in its modems.
 */

export const FARM_API_KEY = 'farm-secret-key-0123';
/** The database password, given to the bridges through `${FARM_PG_PASSWORD}` only. */
export const FARM_PG_PASSWORD = 'pg-password-never-logged';
export const FARM_TIMINGS = {
  pushTimeoutMs: 2_000,
  retryDelayMs: 400,
  staleAfterMs: 3_000,
  heartbeatIntervalMs: 1_000,
  pollIntervalMs: 500,
  rescanIntervalMs: 500,
} as const;

export interface FarmHost {
  name: string;
  farm: EmulatedFarm;
  configPath: string;
  bridge: BridgeProcess;
  adminUrl: string;
  resellerUrl: string;
}

export interface FarmSim {
  host: number;
  slot: number;
  modem: EmulatedModem;
  iccid: string;
  phone: string;
}

export interface PgFarmRigOptions {
  hosts: number;
  modemsPerHost: number;
  /** Services of each SIM (by farm-wide index); default `['vk']`. */
  servicesOf?: (index: number) => string[];
  logLevel?: 'info' | 'debug';
  /** `sqlite` (one host, for side-by-side figures): each host gets its own SQLite file instead. */
  store?: 'postgres' | 'sqlite';
}

export class PgFarmRig {
  readonly dir: string;
  readonly #cluster: PgCluster | null;
  readonly dbUrl: string;
  readonly onlinesim: ScriptedOnlinesim;
  readonly hosts: FarmHost[] = [];
  readonly sims: FarmSim[] = [];
  readonly #db: pg.Pool | null;

  private constructor(dir: string, cluster: PgCluster | null, dbUrl: string, onlinesim: ScriptedOnlinesim) {
    this.dir = dir;
    this.#cluster = cluster;
    this.dbUrl = dbUrl;
    this.onlinesim = onlinesim;
    this.#db = cluster === null ? null : new pg.Pool({ connectionString: dbUrl, max: 2 });
    this.#db?.on('error', () => undefined);
  }

  static async start(options: PgFarmRigOptions): Promise<PgFarmRig> {
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-farm-'));
    const cluster = options.store === 'sqlite' ? null : await PgCluster.start();
    let rig: PgFarmRig | null = null;
    try {
      const dbUrl = cluster === null ? '' : await cluster.createDatabase();
      rig = new PgFarmRig(dir, cluster, dbUrl, await ScriptedOnlinesim.start());
      await rig.#startHosts(options);
      return rig;
    } catch (err) {
      if (rig) await rig.close();
      else {
        cluster?.destroy();
        rmSync(dir, { recursive: true, force: true });
      }
      throw err;
    }
  }

  /** The PostgreSQL cluster (a PostgreSQL rig only). */
  get cluster(): PgCluster {
    if (this.#cluster === null) throw new Error('a SQLite rig has no PostgreSQL cluster');
    return this.#cluster;
  }

  /** Messages stored, over every host's store. */
  async storedCount(): Promise<number> {
    if (this.#db !== null) {
      return (await this.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM messages'))[0]?.n ?? 0;
    }
    let total = 0;
    for (const host of this.hosts) {
      const db = new Database(join(this.dir, `${host.name}.db`), { readonly: true, fileMustExist: true });
      try {
        total += (db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
      } finally {
        db.close();
      }
    }
    return total;
  }

  host(index: number): FarmHost {
    const host = this.hosts[index];
    if (!host) throw new Error(`no host ${index}`);
    return host;
  }

  simsOf(host: number): FarmSim[] {
    return this.sims.filter((s) => s.host === host);
  }

  /** A query on the shared store, as the operator would run it. */
  async query<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
    if (this.#db === null) throw new Error('a SQLite rig has no shared database to query');
    return (await this.#db.query<T>(text, params)).rows;
  }

  /**
   * Opens an operation for every SIM's phone (ids from `firstId`), through the hosts' admin APIs
   * in turn: any host's admin API writes the shared store.
   */
  async openOperations(firstId: number): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const [i, sim] of this.sims.entries()) {
      const operationId = firstId + i;
      const response = await fetch(`${this.host(i % this.hosts.length).adminUrl}/api/operations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: sim.phone, operationId, service: 'vk' }),
      });
      if (response.status !== 201) throw new Error(`POST /api/operations answered ${response.status}`);
      ids.set(sim.phone, operationId);
    }
    return ids;
  }

  /** Ends operations through the admin API of `host`. */
  async endOperations(ids: Iterable<number>, host = 0): Promise<void> {
    for (const id of ids) {
      const response = await fetch(`${this.host(host).adminUrl}/api/operations/${id}`, { method: 'DELETE' });
      if (!response.ok) throw new Error(`DELETE /api/operations/${id} answered ${response.status}`);
    }
  }

  /** Texts answered 200, with how many times each. */
  deliveredCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const record of this.onlinesim.records) {
      if (record.status !== 200 || record.text === null) continue;
      counts.set(record.text, (counts.get(record.text) ?? 0) + 1);
    }
    return counts;
  }

  /** Waits until every text in `texts` was answered 200 at least once. */
  async allDelivered(texts: readonly string[], limitMs: number): Promise<void> {
    await waitUntil(
      () => {
        const counts = this.deliveredCounts();
        return texts.every((t) => (counts.get(t) ?? 0) > 0);
      },
      `${texts.length} texts delivered`,
      limitMs,
      200,
    );
  }

  /**
   * Moves one host's SIMs to another host: links its modems' ptys into the other host's port
   * directory, where that host's rescan finds them (the SIMs keep their ICCIDs).
   */
  moveSims(from: number, to: number): void {
    const source = this.host(from).farm;
    for (const sim of this.simsOf(from)) {
      const name = `modem-moved-${from}-${String(sim.slot).padStart(2, '0')}`;
      symlinkSync(
        join(source.directory, `modem-${String(sim.slot).padStart(2, '0')}`),
        join(this.host(to).farm.directory, name),
      );
    }
  }

  /** POST to a host's partner endpoint. */
  async reseller(host: number, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await fetch(this.host(host).resellerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: FARM_API_KEY, ...body }),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  /** Every log line of every host, as text (to prove what never appears in them). */
  allOutput(): string {
    return this.hosts
      .map((h) => `${h.bridge.logs.map((l) => JSON.stringify(l)).join('\n')}\n${h.bridge.text.join('\n')}`)
      .join('\n');
  }

  async close(): Promise<void> {
    killAllBridges();
    await Promise.allSettled(this.hosts.map((h) => h.bridge.exited));
    await this.#db?.end().catch(() => undefined);
    for (const host of this.hosts) await host.farm.stop();
    await this.onlinesim.close();
    this.#cluster?.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #startHosts(options: PgFarmRigOptions): Promise<void> {
    const farms: EmulatedFarm[] = [];
    for (let h = 0; h < options.hosts; h += 1) {
      const farm = await startFarm(options.modemsPerHost, 9_100 + h * 37);
      farms.push(farm);
      farm.modems().forEach((modem, slot) => {
        this.sims.push({
          host: h,
          slot,
          modem,
          iccid: modem.identity.iccid,
          phone: modem.identity.phoneNumber.replace(/^\+/, ''),
        });
      });
    }
    if (new Set(this.sims.map((s) => s.phone)).size !== this.sims.length) {
      throw new Error('two emulated SIMs share a phone number: pick other seeds');
    }
    const sims = this.sims.map((sim, index) => ({
      iccid: sim.iccid,
      phone: sim.phone,
      country: 'russia',
      operator: 'mts',
      services: options.servicesOf?.(index) ?? ['vk'],
    }));
    const url = this.dbUrl === '' ? null : new URL(this.dbUrl);
    const dbUrlTemplate = url && `postgres://postgres:\${FARM_PG_PASSWORD}@${url.host}${url.pathname}`;
    farms.forEach((farm, h) => {
      const name = `host-${String.fromCharCode(97 + h)}`;
      const configPath = join(this.dir, `${name}.yaml`);
      writeFileSync(
        configPath,
        stringify({
          onlinesim: { pushUrl: this.onlinesim.url, apiKey: FARM_API_KEY },
          reseller: { listen: '127.0.0.1:0' },
          admin: { listen: '127.0.0.1:0' },
          storage:
            options.store === 'sqlite'
              ? { sqlite: join(this.dir, `${name}.db`) }
              : { postgres: dbUrlTemplate },
          node: {
            name,
            staleAfterMs: FARM_TIMINGS.staleAfterMs,
            heartbeatIntervalMs: FARM_TIMINGS.heartbeatIntervalMs,
          },
          modems: {
            ports: [join(farm.directory, 'modem-*')],
            pollIntervalMs: FARM_TIMINGS.pollIntervalMs,
            watchdogIntervalMs: 1_000,
            rescanIntervalMs: FARM_TIMINGS.rescanIntervalMs,
          },
          sims,
          push: { retryDelayMs: FARM_TIMINGS.retryDelayMs, timeoutMs: FARM_TIMINGS.pushTimeoutMs },
          log: { level: options.logLevel ?? 'info' },
        }),
      );
      const bridge = spawnBridge(configPath, { FARM_PG_PASSWORD });
      this.hosts.push({ name, farm, configPath, bridge, adminUrl: '', resellerUrl: '' });
    });
    for (const host of this.hosts) {
      const running = await host.bridge.waitForLog(
        (l) => l.msg === 'simbridge running',
        'simbridge running',
        60_000,
      );
      host.adminUrl = String(running.adminUrl);
      host.resellerUrl = String(running.resellerUrl);
    }
    for (const host of this.hosts) await this.#modemsReady(host, options.modemsPerHost);
  }

  async #modemsReady(host: FarmHost, count: number): Promise<void> {
    await waitUntil(
      async () => {
        const response = await fetch(`${host.adminUrl}/api/modems`);
        const modems = (await response.json()) as { state: string }[];
        return modems.filter((m) => m.state === 'ready').length >= count;
      },
      `${count} modems of ${host.name} ready`,
      60_000,
      250,
    );
  }
}

/**
 * Starts one host's emulated modems. Without socat each pty relay is a python3 process, whose
 * start can outlast the emulator's pty timeout on a loaded machine: a farm that timed out is
 * stopped and started again (same seed, same SIMs), up to three times.
 */
async function startFarm(count: number, seed: number): Promise<EmulatedFarm> {
  preferSystemPython();
  for (let attempt = 1; ; attempt += 1) {
    const farm = new EmulatedFarm({ count, profiles: 'generic', seed, modemOptions: { bootTimeScale: 0 } });
    try {
      await farm.start();
      return farm;
    } catch (err) {
      await farm.stop().catch(() => undefined);
      const code: unknown = err instanceof Error ? Reflect.get(err, 'code') : undefined;
      if (code !== 'EMU_PTY_TIMEOUT' || attempt >= 3) throw err;
    }
  }
}

let pathPatched = false;
/**
 * A version manager's `python3` shim (pyenv) is a shell script that takes seconds to start when
 * 48 relays start at once on a loaded machine; the system python3 starts at once. Puts a
 * directory with only `python3 -> /usr/bin/python3` first on this process's PATH.
 */
function preferSystemPython(): void {
  if (pathPatched || !existsSync(SYSTEM_PYTHON)) return;
  pathPatched = true;
  const bin = mkdtempSync(join(tmpdir(), 'simbridge-python-'));
  symlinkSync(SYSTEM_PYTHON, join(bin, 'python3'));
  process.env.PATH = `${bin}:${process.env.PATH ?? ''}`;
}

const SYSTEM_PYTHON = '/usr/bin/python3';
