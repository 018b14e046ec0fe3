import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { EmulatedFarm } from '../../../src/emulator/farm.js';
import type { EmulatedModem } from '../../../src/emulator/modem.js';
import type { ModemProfileName } from '../../../src/emulator/types.js';
import type { MessageStatus, MessageView } from '../../../src/store/repository.js';
import { type BridgeProcess, spawnBridge, tearDownRig } from './bridge-process.js';
import { ScriptedOnlinesim } from './scripted-onlinesim.js';
import { StoreProbe } from './store-probe.js';
import { waitUntil } from './wait.js';

/**
 * One end-to-end rig: N emulated modems on real ptys -> `simbridge run` (a child process) -> a
 * scripted mock Onlinesim. `E2eRig.start` waits until every modem is `ready` in /api/modems;
 * `close` tears everything down, kill -9 included, and is safe to call after a failure.
 */

export const E2E_API_KEY = 'e2e-secret-key-0123';

/** Short settings so retries, polls and multipart timeouts happen within a test. */
export const E2E_TIMINGS = {
  retryDelayMs: 400,
  pushTimeoutMs: 2_000,
  pollIntervalMs: 500,
  watchdogIntervalMs: 1_000,
  rescanIntervalMs: 500,
  multipartTimeoutMs: 1_500,
} as const;

export interface E2eRigOptions {
  modems?: number;
  profiles?: ModemProfileName | readonly ModemProfileName[] | 'mixed';
  /** Slots left out of the config's `sims` (their SMS have no phone: `no_operation`). */
  unmappedSlots?: readonly number[];
  denySenders?: readonly string[];
  retryDelayMs?: number;
  /** Per-request PUSH_SMS timeout. */
  pushTimeoutMs?: number;
  /** Pushes older than this end as `expired` (default: the product's 24 h). */
  maxAgeMs?: number;
  multipartTimeoutMs?: number;
  /** Raw config sections merged over the generated ones. */
  configOverrides?: Record<string, unknown>;
  /**
   * A config (e.g. the example file, parsed) the generated sections are merged into, key by
   * key within each section, so its other settings stay as they are.
   */
  baseConfig?: Record<string, unknown>;
  /** `onlinesim.apiKey` as written in the file (e.g. `${ONLINESIM_API_KEY}`). */
  apiKeyValue?: string;
  /** Extra environment of the bridge process (for `${ENV}` substitution). */
  env?: NodeJS.ProcessEnv;
}

export interface RigSim {
  slot: number;
  modem: EmulatedModem;
  iccid: string;
  /** Digits, no '+', as the config and Onlinesim write it. */
  phone: string;
}

/** One `AT+CMGD` executed by an emulated modem, and whether the store had the message then. */
export interface DeletionRecord {
  slot: number;
  pdu: string;
  atMs: number;
  committedBefore: boolean;
}

export class E2eRig {
  readonly dir: string;
  readonly configPath: string;
  readonly farm: EmulatedFarm;
  readonly onlinesim: ScriptedOnlinesim;
  readonly sims: RigSim[];
  bridge: BridgeProcess;
  adminUrl = '';
  readonly store: StoreProbe;
  readonly deletions: DeletionRecord[] = [];
  readonly #modemCount: number;
  readonly #env: NodeJS.ProcessEnv;

  private constructor(
    dir: string,
    farm: EmulatedFarm,
    onlinesim: ScriptedOnlinesim,
    configPath: string,
    bridge: BridgeProcess,
    env: NodeJS.ProcessEnv,
  ) {
    this.#env = env;
    this.dir = dir;
    this.farm = farm;
    this.onlinesim = onlinesim;
    this.configPath = configPath;
    this.bridge = bridge;
    this.#modemCount = farm.size;
    this.sims = farm.modems().map((modem, slot) => ({
      slot,
      modem,
      iccid: modem.identity.iccid,
      phone: modem.identity.phoneNumber.replace(/^\+/, ''),
    }));
    this.store = new StoreProbe(join(dir, 'simbridge.db'));
    for (const sim of this.sims) {
      sim.modem.on('deleted', (info) => {
        this.deletions.push({
          slot: sim.slot,
          pdu: info.pdu,
          atMs: info.atMs,
          committedBefore: this.store.hasMessage(sim.iccid, info.pdu),
        });
      });
    }
  }

  static async start(options: E2eRigOptions = {}): Promise<E2eRig> {
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-e2e-'));
    const farm = new EmulatedFarm({
      count: options.modems ?? 2,
      profiles: options.profiles ?? 'mixed',
      modemOptions: { bootTimeScale: 0 },
    });
    let onlinesim: ScriptedOnlinesim | null = null;
    try {
      await farm.start();
      onlinesim = await ScriptedOnlinesim.start();
      const configPath = join(dir, 'simbridge.yaml');
      writeFileSync(configPath, stringify(buildConfig(dir, farm, onlinesim.url, options)));
      const env = options.env ?? {};
      const rig = new E2eRig(dir, farm, onlinesim, configPath, spawnBridge(configPath, env), env);
      await rig.#whenReady();
      return rig;
    } catch (err) {
      await tearDownRig({ farm, onlinesim, dir });
      throw err;
    }
  }

  sim(slot: number): RigSim {
    const sim = this.sims[slot];
    if (!sim) throw new Error(`no SIM in slot ${slot}`);
    return sim;
  }

  /** POST /api/operations: makes `operationId` the active operation of the slot's phone. */
  async openOperation(slot: number, operationId: number, service = 'instagram'): Promise<void> {
    const response = await fetch(`${this.adminUrl}/api/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: this.sim(slot).phone, operationId, service, replace: true }),
    });
    if (response.status !== 201) {
      throw new Error(`POST /api/operations answered ${response.status}: ${await response.text()}`);
    }
  }

  /** GET /api/messages (newest first), optionally one status. */
  async messages(status?: MessageStatus): Promise<MessageView[]> {
    const query = status === undefined ? 'limit=1000' : `status=${status}&limit=1000`;
    const response = await fetch(`${this.adminUrl}/api/messages?${query}`);
    if (!response.ok) throw new Error(`GET /api/messages answered ${response.status}`);
    return (await response.json()) as MessageView[];
  }

  /** Messages of one SIM (by its phone). */
  async messagesOf(slot: number, status?: MessageStatus): Promise<MessageView[]> {
    const phone = this.sim(slot).phone;
    return (await this.messages(status)).filter((m) => m.phone === phone);
  }

  /** Waits until the slot's SIM storage is empty and nothing waits in the emulated network. */
  async drained(slot: number, limitMs = 10_000): Promise<void> {
    const modem = this.sim(slot).modem;
    await waitUntil(
      () => modem.storedMessages().length === 0 && modem.networkQueueLength === 0,
      `SIM storage of slot ${slot} drained`,
      limitMs,
    );
  }

  /** Starts the bridge again on the same config and store (after a kill or a stop). */
  async restart(): Promise<void> {
    if (this.bridge.exitInfo === null) throw new Error('the bridge is still running');
    this.bridge = spawnBridge(this.configPath, this.#env);
    await this.#whenReady();
  }

  /** Deletions of one slot's SIM copies, in order. */
  deletionsOf(slot: number): DeletionRecord[] {
    return this.deletions.filter((d) => d.slot === slot);
  }

  async close(): Promise<void> {
    this.store.close();
    await this.bridge.kill9();
    await tearDownRig(this);
  }

  async #whenReady(): Promise<void> {
    this.adminUrl = await this.bridge.adminUrl();
    await waitUntil(
      async () => {
        const response = await fetch(`${this.adminUrl}/api/modems`);
        const modems = (await response.json()) as { state: string }[];
        return modems.length === this.#modemCount && modems.every((m) => m.state === 'ready');
      },
      `${this.#modemCount} modems ready`,
      15_000,
      100,
    );
  }
}

function buildConfig(
  dir: string,
  farm: EmulatedFarm,
  pushUrl: string,
  options: E2eRigOptions,
): Record<string, unknown> {
  const unmapped = new Set(options.unmappedSlots ?? []);
  const sims = farm
    .describe()
    .filter((modem) => !unmapped.has(modem.slot))
    .map((modem) => ({
      iccid: modem.iccid,
      phone: modem.phoneNumber.replace(/^\+/, ''),
      country: 'russia',
      operator: 'mts',
    }));
  const generated: Record<string, unknown> = {
    onlinesim: { pushUrl, apiKey: options.apiKeyValue ?? E2E_API_KEY },
    admin: { listen: '127.0.0.1:0' },
    storage: { sqlite: join(dir, 'simbridge.db') },
    modems: {
      ports: [join(farm.directory, 'modem-*')],
      pollIntervalMs: E2E_TIMINGS.pollIntervalMs,
      watchdogIntervalMs: E2E_TIMINGS.watchdogIntervalMs,
      rescanIntervalMs: E2E_TIMINGS.rescanIntervalMs,
    },
    sims,
    push: {
      retryDelayMs: options.retryDelayMs ?? E2E_TIMINGS.retryDelayMs,
      timeoutMs: options.pushTimeoutMs ?? E2E_TIMINGS.pushTimeoutMs,
      ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    },
    multipart: { timeoutMs: options.multipartTimeoutMs ?? E2E_TIMINGS.multipartTimeoutMs },
    ...(options.denySenders === undefined ? {} : { filter: { denySenders: [...options.denySenders] } }),
    log: { level: 'info' },
    ...options.configOverrides,
  };
  return mergeSections(options.baseConfig ?? {}, generated);
}

/** Top-level sections of `over` replace those of `base` key by key (one level deep). */
function mergeSections(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const previous = merged[key];
    merged[key] = isPlainObject(previous) && isPlainObject(value) ? { ...previous, ...value } : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
