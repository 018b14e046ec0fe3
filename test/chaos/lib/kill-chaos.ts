import { BenchRig, type PushAnswerer } from '../../bench/lib/bench-rig.js';
import { InjectionTracker } from '../../bench/lib/injection-tracker.js';
import { injectOne, type LoadContext } from '../../bench/lib/load-phases.js';
import { MessageFactory, type ReferenceMode, seededRandom } from '../../bench/lib/message-stream.js';
import { StoreProbe } from '../../integration/support/store-probe.js';
import { delay } from '../../integration/support/wait.js';
import { flakyServer } from './flaky-server.js';
import { type Tally, tally } from './tally.js';

/**
 * kill -9 of the bridge at random moments during a stream of SMS, with a flaky server. Each
 * time the bridge is started again on the same config and SQLite file. At the end every
 * injected message must have been answered 200 at least once (0 lost); a message answered 200
 * more than once may only come from the window between the server's 200 and the commit of that
 * answer, which the bridge counts at start-up (`duplicate_window`).
 */

export interface KillChaosOptions {
  modems: number;
  sms: number;
  kills: number;
  /** Uptime before each kill: uniform in [min, max] ms after the bridge is ready. */
  uptimeMs?: [number, number];
  /** How long the bridge stays dead. */
  downtimeMs?: [number, number];
  answer?: PushAnswerer;
  seed?: number;
  /** Concatenation references of the stream (see `MessageFactory`). Default `per-sender`. */
  references?: ReferenceMode;
  /** Limit for the final drain, after the last restart. */
  drainLimitMs?: number;
  log?: (line: string) => void;
}

export interface KillChaosReport extends Tally {
  kills: number;
  durationMs: number;
  duplicateWindow: number;
  serverAnswers: Record<string, number>;
  readyAfterRestartMs: { max: number; mean: number };
}

export const CHAOS_TIMINGS = {
  push: { retryDelayMs: 300, timeoutMs: 2_000 },
  modemTimings: { pollIntervalMs: 2_000, watchdogIntervalMs: 1_000, rescanIntervalMs: 300 },
  multipart: { timeoutMs: 60_000 },
} as const;

export async function runKillChaos(options: KillChaosOptions): Promise<KillChaosReport> {
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed ?? 3);
  const [upMin, upMax] = options.uptimeMs ?? [300, 2_000];
  const [downMin, downMax] = options.downtimeMs ?? [0, 500];
  const between = (min: number, max: number): number => min + random() * (max - min);
  const started = Date.now();
  const rig = await BenchRig.start({
    modems: options.modems,
    answer: options.answer ?? flakyServer({ seed: options.seed ?? 3 }),
    push: CHAOS_TIMINGS.push,
    modemTimings: CHAOS_TIMINGS.modemTimings,
    multipart: CHAOS_TIMINGS.multipart,
    logLevel: 'info',
  });
  const probe = new StoreProbe(rig.dbPath);
  try {
    await rig.openOperations();
    const tracker = new InjectionTracker(rig.farm);
    const context: LoadContext = {
      farm: rig.farm,
      factory: new MessageFactory(options.seed ?? 3, undefined, options.references ?? 'per-sender'),
      tracker,
    };
    // Spread the stream over the expected kill cycles (restart ~2.5 s + uptime + downtime).
    const cycleMs = 2_500 + (upMin + upMax) / 2 + (downMin + downMax) / 2;
    const ratePerS = Math.max(5, (options.sms * 1000) / (options.kills * cycleMs));
    const keys: number[] = [];
    const stream = (async () => {
      const start = Date.now();
      let slot = 0;
      while (keys.length < options.sms) {
        const due = Math.min(options.sms, Math.floor(((Date.now() - start) / 1000) * ratePerS) + 1);
        while (keys.length < due) {
          keys.push(injectOne(context, slot));
          slot = (slot + 1) % rig.farm.size;
        }
        await delay(10);
      }
    })();

    const readyTimes: number[] = [];
    for (let kill = 1; kill <= options.kills; kill++) {
      await delay(between(upMin, upMax));
      await rig.bridge.kill9();
      log(
        `kill ${kill}/${options.kills} after ${keys.length} injected, ${rig.deliveredKeys().size} delivered`,
      );
      await delay(between(downMin, downMax));
      readyTimes.push((await rig.startBridge()).sinceSpawnMs);
    }
    await stream;
    const deadline = Date.now() + (options.drainLimitMs ?? 120_000);
    while (Date.now() < deadline && tally(keys, rig.pushes).lost.length > 0) await delay(200);

    const serverAnswers: Record<string, number> = {};
    for (const push of rig.pushes) serverAnswers[push.status] = (serverAnswers[push.status] ?? 0) + 1;
    return {
      ...tally(keys, rig.pushes, (key) => tracker.textOf(key)),
      kills: options.kills,
      durationMs: Date.now() - started,
      duplicateWindow: probe.counter('duplicate_window'),
      serverAnswers,
      readyAfterRestartMs: {
        max: Math.max(0, ...readyTimes),
        mean: readyTimes.reduce((a, b) => a + b, 0) / Math.max(1, readyTimes.length),
      },
    };
  } finally {
    probe.close();
    await rig.close();
  }
}
