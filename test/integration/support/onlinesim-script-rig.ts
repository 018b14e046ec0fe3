import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { EmulatedFarm } from '../../../src/emulator/farm.js';
import type { EmulatedModem } from '../../../src/emulator/modem.js';
import type { MessageStatus, MessageView } from '../../../src/store/repository.js';
import { type BridgeProcess, spawnBridge, tearDownRig } from './bridge-process.js';
import type { ModelSim } from './onlinesim-script-model.js';
import { ScriptedOnlinesim } from './scripted-onlinesim.js';
import { waitUntil } from './wait.js';

/**
 * The partner-server rig: N emulated modems on real ptys, `simbridge run` as a child process with
 * the reseller endpoint on 127.0.0.1:0, and a scripted PUSH_SMS receiver. Each farm SIM gets the
 * country, operator and services the plan gives it; extra configured SIMs with no modem stand
 * for SIM-bank slots that must never be counted. `beforeBridge` runs between the farm start and
 * the bridge start (e.g. to take a modem off the network before the bridge first reads it).
 */

export const SESSION_API_KEY = 'onlinesim-session-key-0123';

export interface SimPlanEntry {
  country: string;
  operator: string;
  /** Overrides `reseller.services` for this SIM. */
  services?: readonly string[];
}

export interface SessionRigOptions {
  modems: number;
  services: readonly string[];
  plan: (slot: number) => SimPlanEntry;
  /** Configured SIMs that sit in no modem. */
  offlineSims?: readonly (SimPlanEntry & { iccid: string; phone: string })[];
  retryDelayMs: number;
  beforeBridge?: (farm: EmulatedFarm) => void;
}

interface ModemView {
  port: string;
  state: string;
  iccid: string | null;
  registered: boolean;
}

export class SessionRig {
  readonly dir: string;
  readonly farm: EmulatedFarm;
  readonly onlinesim: ScriptedOnlinesim;
  readonly sims: readonly ModelSim[];
  readonly #configPath: string;
  bridge: BridgeProcess;
  adminUrl = '';
  resellerUrl = '';

  private constructor(
    dir: string,
    farm: EmulatedFarm,
    onlinesim: ScriptedOnlinesim,
    sims: readonly ModelSim[],
    configPath: string,
  ) {
    this.dir = dir;
    this.farm = farm;
    this.onlinesim = onlinesim;
    this.sims = sims;
    this.#configPath = configPath;
    this.bridge = spawnBridge(configPath);
  }

  static async start(options: SessionRigOptions): Promise<SessionRig> {
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-session-'));
    const farm = new EmulatedFarm({
      count: options.modems,
      profiles: 'mixed',
      modemOptions: { bootTimeScale: 0 },
    });
    let onlinesim: ScriptedOnlinesim | null = null;
    try {
      await farm.start();
      onlinesim = await ScriptedOnlinesim.start();
      const sims: ModelSim[] = farm.describe().map((modem) => {
        const plan = options.plan(modem.slot);
        return {
          slot: modem.slot,
          iccid: modem.iccid,
          phone: modem.phoneNumber.replace(/^\+/, ''),
          country: plan.country,
          operator: plan.operator,
          services: plan.services ?? options.services,
        };
      });
      for (const extra of options.offlineSims ?? []) {
        sims.push({ ...extra, slot: null, services: extra.services ?? options.services });
      }
      const configPath = join(dir, 'simbridge.yaml');
      writeFileSync(configPath, stringify(buildConfig(dir, farm, onlinesim.url, sims, options)));
      options.beforeBridge?.(farm);
      const rig = new SessionRig(dir, farm, onlinesim, sims, configPath);
      await rig.#whenReady();
      return rig;
    } catch (err) {
      await tearDownRig({ farm, onlinesim, dir });
      throw err;
    }
  }

  modemOf(phone: string): EmulatedModem {
    const sim = this.sims.find((s) => s.phone === phone);
    if (sim?.slot === null || sim === undefined) throw new Error(`no modem holds ${phone}`);
    return this.farm.modem(sim.slot);
  }

  /** GET /api/modems. */
  async modems(): Promise<ModemView[]> {
    const response = await fetch(`${this.adminUrl}/api/modems`);
    return (await response.json()) as ModemView[];
  }

  /** GET /api/messages, newest first. */
  async messages(status?: MessageStatus): Promise<MessageView[]> {
    const query = status === undefined ? 'limit=1000' : `status=${status}&limit=1000`;
    const response = await fetch(`${this.adminUrl}/api/messages?${query}`);
    if (!response.ok) throw new Error(`GET /api/messages answered ${response.status}`);
    return (await response.json()) as MessageView[];
  }

  /** GET /api/operations (active only, or all). */
  async operations(active: boolean): Promise<Record<string, unknown>[]> {
    const response = await fetch(`${this.adminUrl}/api/operations?active=${active}&limit=1000`);
    if (!response.ok) throw new Error(`GET /api/operations answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>[];
  }

  /** SIGTERM, wait for exit 0, start again on the same config and database. */
  async restart(): Promise<void> {
    const exit = await this.bridge.stop('SIGTERM');
    if (exit.code !== 0) throw new Error(`the bridge stopped with ${JSON.stringify(exit)}`);
    this.bridge = spawnBridge(this.#configPath);
    await this.#whenReady();
  }

  async close(): Promise<void> {
    await this.bridge.kill9();
    await tearDownRig(this);
  }

  async #whenReady(): Promise<void> {
    const running = await this.bridge.waitForLog((l) => l.msg === 'simbridge running', 'simbridge running');
    if (typeof running.adminUrl !== 'string' || typeof running.resellerUrl !== 'string') {
      throw new Error(`"simbridge running" without both URLs: ${JSON.stringify(running)}`);
    }
    this.adminUrl = running.adminUrl;
    this.resellerUrl = running.resellerUrl;
    await waitUntil(
      async () => {
        const modems = await this.modems();
        return modems.length === this.farm.size && modems.every((m) => m.state === 'ready');
      },
      `${this.farm.size} modems ready`,
      20_000,
      100,
    );
  }
}

function buildConfig(
  dir: string,
  farm: EmulatedFarm,
  pushUrl: string,
  sims: readonly ModelSim[],
  options: SessionRigOptions,
): Record<string, unknown> {
  return {
    onlinesim: { pushUrl, apiKey: SESSION_API_KEY },
    reseller: { listen: '127.0.0.1:0', services: [...options.services] },
    admin: { listen: '127.0.0.1:0' },
    storage: { sqlite: join(dir, 'simbridge.db') },
    modems: {
      ports: [join(farm.directory, 'modem-*')],
      pollIntervalMs: 500,
      watchdogIntervalMs: 1_000,
      rescanIntervalMs: 500,
    },
    sims: sims.map((sim) => ({
      iccid: sim.iccid,
      phone: sim.phone,
      country: sim.country,
      operator: sim.operator,
      ...(sim.services === options.services ? {} : { services: [...sim.services] }),
    })),
    push: { retryDelayMs: options.retryDelayMs, timeoutMs: 2_000 },
    log: { level: 'info' },
  };
}
