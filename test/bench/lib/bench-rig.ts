import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { EmulatedFarm } from '../../../src/emulator/farm.js';
import { DEFAULT_PTY_OPTIONS } from '../../../src/emulator/pty-port.js';
import type { EmulatedModemOptions, ModemProfileName } from '../../../src/emulator/types.js';
import {
  type MockAnswer,
  type MockOnlinesim,
  type RecordedRequest,
  startMockOnlinesim,
} from '../../../src/push/mock-onlinesim.js';
import { waitUntil } from '../../integration/support/wait.js';
import { hasProgram } from '../../support/programs.js';
import { BridgeChild } from './bridge-child.js';
import { keyOfText } from './message-stream.js';

/**
 * One full rig for the benchmark and the chaos runs:
 *
 *   EmulatedFarm (N modems, this process) ──pty/socat──► simbridge run (child process, real
 *   YAML config, SQLite file in a temp dir) ──PUSH_SMS──► mock Onlinesim (this process)
 *
 * Every push that reaches the mock is recorded with its arrival time on the emulator's clock
 * (`performance.timeOrigin + performance.now()`, the clock of `cmtiSent`), the key of the
 * message it carries and the answer it got.
 */

export const BENCH_API_KEY = 'bench-secret-key-0123';

/**
 * How the benchmark's ptys are carried (BENCH_RELAY): `direct` (the default where python3 is
 * installed) has the emulator read and write each pty's master itself, as a modem drives its
 * own end, with no relay process between; `socat` or `python` put a relay in between, as the
 * tests do.
 */
export function benchRelay(): 'socat' | 'python' | 'direct' | undefined {
  const relay = process.env.BENCH_RELAY ?? (hasProgram('python3') ? 'direct' : '');
  if (relay === '') return undefined;
  if (relay !== 'socat' && relay !== 'python' && relay !== 'direct') {
    throw new Error(`BENCH_RELAY must be socat, python or direct (got ${relay})`);
  }
  return relay;
}

/** The same clock as the emulator's event time stamps (epoch ms, fractional). */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface PushArrival {
  atMs: number;
  key: number | null;
  smsId: number | null;
  /** 0 when the answer never reached the bridge (hung, reset, later than its timeout). */
  status: number;
  text: string;
}

/** Answers the mock gives: a function of the request and its number; default 200 SUCCESS. */
export type PushAnswerer = (request: RecordedRequest, index: number) => MockAnswer;

export interface BenchRigOptions {
  modems: number;
  profiles?: ModemProfileName | readonly ModemProfileName[] | 'mixed';
  modemOptions?: Omit<EmulatedModemOptions, 'identity' | 'profile' | 'name'>;
  answer?: PushAnswerer;
  /** Sections merged over the generated config (`push`, `modems` timings, `multipart`, `log`). */
  push?: Record<string, unknown>;
  modemTimings?: Record<string, unknown>;
  multipart?: Record<string, unknown>;
  logLevel?: string;
  /** Extra environment of the bridge process. */
  env?: NodeJS.ProcessEnv;
  /** Extra node options of the bridge process (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
  /** A compiled cli.js to run (see `buildBridge`); default: the sources through tsx. */
  entry?: string;
  /** Pin the bridge (all its threads) to these CPUs with taskset(1). */
  cpuList?: string;
  readyLimitMs?: number;
}

export interface ReadyTimes {
  /** From spawning the process to every modem `ready` in /api/modems. */
  sinceSpawnMs: number;
  /** From the bridge's "starting simbridge" log line (runtime loaded, config read) to all ready. */
  sinceStartLogMs: number;
}

export class BenchRig {
  readonly dir: string;
  readonly configPath: string;
  readonly dbPath: string;
  readonly farm: EmulatedFarm;
  readonly mock: MockOnlinesim;
  readonly pushes: PushArrival[] = [];
  readonly #options: BenchRigOptions;
  bridge!: BridgeChild;
  adminUrl = '';
  ready: ReadyTimes = { sinceSpawnMs: 0, sinceStartLogMs: 0 };
  #answer: PushAnswerer;

  private constructor(dir: string, farm: EmulatedFarm, mock: MockOnlinesim, options: BenchRigOptions) {
    this.dir = dir;
    this.farm = farm;
    this.mock = mock;
    this.#options = options;
    this.#answer = options.answer ?? (() => ({ status: 200, body: { status: 'SUCCESS' } }));
    this.configPath = join(dir, 'simbridge.yaml');
    this.dbPath = join(dir, 'simbridge.db');
    writeFileSync(this.configPath, stringify(this.#config()));
  }

  static async start(options: BenchRigOptions): Promise<BenchRig> {
    // 64 pty relays (python3 where socat is missing) started at once on a loaded machine take
    // longer than the emulator's 5 s: give the rig BENCH_PTY_READY_S (default 60 s).
    (DEFAULT_PTY_OPTIONS as { readyTimeoutMs: number }).readyTimeoutMs =
      Number(process.env.BENCH_PTY_READY_S ?? 60) * 1000;
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-bench-'));
    mkdirSync(join(dir, 'tty'));
    const relay = benchRelay();
    const farm = new EmulatedFarm({
      count: options.modems,
      profiles: options.profiles ?? 'generic',
      directory: join(dir, 'tty'),
      modemOptions: { bootTimeScale: 0, ...options.modemOptions },
      ...(relay ? { relay } : {}),
    });
    let rig: BenchRig | null = null;
    const mock = await startMockOnlinesim({
      script: (request, index) => (rig ? rig.#onPush(request, index) : { status: 503 }),
    });
    try {
      await farm.start();
      rig = new BenchRig(dir, farm, mock, options);
      await rig.startBridge();
      return rig;
    } catch (err) {
      await rig?.bridge?.kill9();
      await farm.stop();
      await mock.close();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  get pid(): number {
    const pid = this.bridge.pid;
    if (pid === undefined) throw new Error('bridge has no pid');
    return pid;
  }

  /** Replaces the server's behaviour from now on. */
  setAnswer(answer: PushAnswerer): void {
    this.#answer = answer;
  }

  /** Spawns `simbridge run` on the rig's config and waits until every modem is ready. */
  async startBridge(): Promise<ReadyTimes> {
    const spawnedAt = Date.now();
    this.bridge = new BridgeChild(
      this.configPath,
      this.#options.entry,
      this.#options.env ?? {},
      this.#options.nodeArgs ?? [],
    );
    if (this.#options.cpuList && this.bridge.pid !== undefined) {
      execFileSync('taskset', ['-a', '-p', '-c', this.#options.cpuList, String(this.bridge.pid)], {
        stdio: 'ignore',
      });
    }
    this.adminUrl = await this.bridge.adminUrl(this.#options.readyLimitMs ?? 30_000);
    const count = this.farm.size;
    await waitUntil(
      async () => {
        const response = await fetch(`${this.adminUrl}/api/modems`);
        const modems = (await response.json()) as { state: string }[];
        return modems.length === count && modems.every((m) => m.state === 'ready');
      },
      `${count} modems ready`,
      this.#options.readyLimitMs ?? 30_000,
      20,
    );
    const readyAt = Date.now();
    const startLine = this.bridge.logs.find((line) => line.msg === 'starting simbridge');
    // pino writes `time` as epoch ms or, with an ISO time function, as a string.
    const logged = startLine?.time;
    const parsed =
      typeof logged === 'number' ? logged : typeof logged === 'string' ? Date.parse(logged) : Number.NaN;
    const startedAt = Number.isFinite(parsed) ? parsed : spawnedAt;
    this.ready = { sinceSpawnMs: readyAt - spawnedAt, sinceStartLogMs: readyAt - startedAt };
    return this.ready;
  }

  /** POST /api/operations for every SIM: operation `baseId + slot`. Returns slot -> id. */
  async openOperations(baseId = 1000): Promise<Map<number, number>> {
    const ids = new Map<number, number>();
    for (const info of this.farm.describe()) {
      const operationId = baseId + info.slot;
      const response = await fetch(`${this.adminUrl}/api/operations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: phoneOf(info.phoneNumber), operationId, service: 'instagram' }),
      });
      if (response.status !== 201) throw new Error(`POST /api/operations: ${response.status}`);
      ids.set(info.slot, operationId);
    }
    return ids;
  }

  /** GET /metrics as text. */
  async metrics(): Promise<string> {
    return (await fetch(`${this.adminUrl}/metrics`)).text();
  }

  /** Pushes answered 200, by key (a key seen twice was delivered twice). */
  deliveredKeys(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const push of this.pushes) {
      if (push.status !== 200 || push.key === null) continue;
      counts.set(push.key, (counts.get(push.key) ?? 0) + 1);
    }
    return counts;
  }

  async close(): Promise<void> {
    await this.bridge?.kill9();
    await this.farm.stop();
    await this.mock.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  #onPush(request: RecordedRequest, index: number): MockAnswer {
    const atMs = nowMs();
    const body = (request.body ?? {}) as Record<string, unknown>;
    const text = typeof body.text === 'string' ? body.text : '';
    const answer = this.#answer(request, index);
    this.pushes.push({
      atMs,
      key: keyOfText(text),
      smsId: typeof body.smsId === 'number' ? body.smsId : null,
      status: this.#reachedBridge(answer) ? (answer.status ?? 200) : 0,
      text,
    });
    return answer;
  }

  /** False for answers the bridge never sees: hung, reset, or later than its push timeout. */
  #reachedBridge(answer: MockAnswer): boolean {
    if (answer.hang || answer.reset) return false;
    const timeoutMs = Number(this.#options.push?.timeoutMs ?? 10_000);
    return (answer.delayMs ?? 0) < timeoutMs;
  }

  #config(): Record<string, unknown> {
    const options = this.#options;
    return {
      onlinesim: { pushUrl: this.mock.url, apiKey: BENCH_API_KEY },
      admin: { listen: '127.0.0.1:0' },
      storage: { sqlite: this.dbPath },
      modems: { ports: [join(this.farm.directory, 'modem-*')], baudRate: 115_200, ...options.modemTimings },
      sims: this.farm.describe().map((info) => ({
        iccid: info.iccid,
        phone: phoneOf(info.phoneNumber),
        country: 'russia',
        operator: 'mts',
      })),
      push: { ...options.push },
      multipart: { ...options.multipart },
      log: { level: options.logLevel ?? 'info' },
    };
  }
}

function phoneOf(international: string): string {
  return international.replace(/^\+/, '');
}
