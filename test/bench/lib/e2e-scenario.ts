import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { delay } from '../../integration/support/wait.js';
import { BenchRig, nowMs } from './bench-rig.js';
import { InjectionTracker, type MessageOutcome } from './injection-tracker.js';
import { burstyLoad, floodLoad, type LoadContext, steadyLoad } from './load-phases.js';
import { FULL_SINGLES, MessageFactory } from './message-stream.js';
import {
  childPids,
  cpuPercent,
  cpuTimeMs,
  memoryKb,
  threadCpuPercents,
  threadCpuTimesMs,
  totalCpuTimeMs,
} from './proc-stats.js';
import { collectTrace, type StageRow, stageTable, type TailTable, tailTable } from './stage-table.js';
import { type Distribution, distribution, rounded } from './stats.js';

/**
 * One end-to-end benchmark run with N modems: start, steady load, bursty load, a flood (the
 * most the bridge absorbs), then idle. Every figure is taken from outside the bridge process.
 */

export interface ScenarioOptions {
  modems: number;
  /** Total arrival rate of the steady and bursty phases, SMS/s. */
  ratePerS: number;
  steadyMs: number;
  burstyMs: number;
  floodPerModem: number;
  idleMs: number;
  cpuList?: string;
  /** Directory for `--cpu-prof` output of the bridge, or undefined. */
  cpuProfileDir?: string;
  logLevel?: string;
  /** Compiled cli.js to run, or undefined for the sources through tsx. */
  entry?: string;
  /** Extra node options of the bridge process. */
  nodeArgs?: readonly string[];
  /** Extra environment of the bridge process. */
  env?: NodeJS.ProcessEnv;
  /** Have the bridge trace each SMS's stages and print the table (default true). */
  stageTrace?: boolean;
  /** Config `push` overrides (e.g. `concurrency`), for a what-if run. */
  push?: Record<string, unknown>;
  /** Config `modems` timing overrides (e.g. `storageCheckIntervalMs`), for a what-if run. */
  modemTimings?: Record<string, unknown>;
}

export interface ScenarioResult {
  modems: number;
  pinnedCpus: string | null;
  bridgeEntry: string;
  bridgeNodeArgs: readonly string[];
  ready: { sinceSpawnMs: number; sinceStartLogMs: number };
  load: {
    ratePerS: number;
    injected: number;
    delivered: number;
    lost: number;
    latencyMs: Distribution;
    latencyOverWire: Distribution;
    wireMs: Distribution;
    /** The steady phase: full single SMS, GSM 7-bit and UCS-2 in turn (the latency targets' stream). */
    steadyOverWire: Distribution;
    /** The bursty phase: the mix of single and multipart SMS, all of each 0.5 s at once. */
    burstyOverWire: Distribution;
    /** The multipart messages of the bursty phase alone. */
    multipartOverWire: Distribution;
    /** Where the time went (see `ExchangeBreakdown`), ms. */
    breakdownMs: { react: Distribution; readToDelete: Distribution; deleteToPush: Distribution };
    /** The bridge's own per-stage timing of the load's messages; null when not traced. */
    stages: StageRow[] | null;
    /** The same for the steady phase alone (the targets' stream). */
    steadyStages: StageRow[] | null;
    /** The slowest 2 % of the steady phase against the whole of it, step by step. */
    steadyTail: TailTable | null;
    bridgeCpuPercent: number;
    bridgeCpuMsPerSms: number;
  };
  flood: { injected: number; durationMs: number; durableSmsPerS: number; peakSmsPerSIn1s: number };
  bridge: {
    cpuMsTotal: number;
    peakRssMb: number;
    /** Peak resident set up to the end of the 200 SMS/s load, before the flood. */
    peakRssBeforeFloodMb: number;
    /** Peak resident set with every modem ready, before any SMS. */
    peakRssIdleMb: number;
    idleCpuPercent: number;
    idleCpuAfterLoadPercent: number;
    /** The busiest threads (by name) in that window, % of a core and its system part. */
    idleCpuAfterLoadByThread: { name: string; percent: number; sysPercent: number }[];
  };
  emulator: {
    cpuPercentDuringLoad: number;
    socatCpuPercentDuringLoad: number;
    /**
     * Event-loop delay of this process (emulator and mock server) during the load, ms: how late
     * the emulator put bytes on its lines and the server stamped arrivals, which no host can beat.
     */
    loopDelayMs: { p50: number; p99: number; max: number };
  };
}

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const nodeArgs = [
    ...(options.nodeArgs ?? []),
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
  ];
  const traceFile =
    options.stageTrace === false
      ? null
      : join(tmpdir(), `simbridge-stage-trace-${process.pid}-${Date.now()}.json`);
  const rig = await BenchRig.start({
    modems: options.modems,
    nodeArgs,
    env: { ...(traceFile ? { SIMBRIDGE_STAGE_TRACE: traceFile } : {}), ...options.env },
    logLevel: options.logLevel ?? 'info',
    ...(options.entry ? { entry: options.entry } : {}),
    ...(options.cpuList ? { cpuList: options.cpuList } : {}),
    ...(options.push ? { push: options.push } : {}),
    ...(options.modemTimings ? { modemTimings: options.modemTimings } : {}),
  });
  try {
    const pid = rig.pid;
    const tracker = new InjectionTracker(rig.farm);
    const context: LoadContext = { farm: rig.farm, factory: new MessageFactory(options.modems), tracker };
    await rig.openOperations();
    // Idle first: every modem ready, nothing arriving; the bridge only runs its timers. The first
    // 2 s after "ready" are left out: they still hold the start-up's last sweeps and JIT work.
    await delay(2_000);
    const idleBefore = { wall: nowMs(), cpu: cpuTimeMs(pid) ?? 0 };
    await delay(options.idleMs);
    const memoryIdle = memoryKb(pid);
    const idleBeforeLoad = cpuPercent((cpuTimeMs(pid) ?? 0) - idleBefore.cpu, nowMs() - idleBefore.wall);
    const socats = childPids(process.pid).filter((child) => child !== pid);

    // Steady and bursty load at the target rate.
    const loadStart = {
      wall: nowMs(),
      bridge: cpuTimeMs(pid) ?? 0,
      self: process.cpuUsage(),
      socat: totalCpuTimeMs(socats),
    };
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const steadyKeys = await steadyLoad(context, options.ratePerS, options.steadyMs, FULL_SINGLES);
    const burstyKeys = await burstyLoad(context, options.ratePerS, options.burstyMs);
    const loadKeys = [...steadyKeys, ...burstyKeys];
    await waitForKeys(rig, loadKeys, 20_000);
    loopDelay.disable();
    const loadEnd = {
      wall: nowMs(),
      bridge: cpuTimeMs(pid) ?? 0,
      self: process.cpuUsage(loadStart.self),
      socat: totalCpuTimeMs(socats),
    };
    const loadWall = loadEnd.wall - loadStart.wall;

    const outcomes = tracker.outcomes(rig.pushes, loadKeys);
    const measured = outcomes.filter((o) => o.pushedAtMs !== null && o.indicatedAtMs !== null);
    const latency = measured.map((o) => (o.pushedAtMs as number) - (o.indicatedAtMs as number));
    const ratio = (keys: number[]): number[] => {
      const wanted = new Set(keys);
      return measured
        .filter((o) => wanted.has(o.key))
        .map((o) => ((o.pushedAtMs as number) - (o.indicatedAtMs as number)) / o.wireMs);
    };

    const memoryBeforeFlood = memoryKb(pid);
    // Flood: every modem gets `floodPerModem` messages at once.
    await delay(500);
    const floodStart = nowMs();
    const floodKeys = floodLoad(context, options.floodPerModem);
    await waitForKeys(rig, floodKeys, 60_000);
    const floodPushes = tracker
      .outcomes(rig.pushes, floodKeys)
      .flatMap((o) => (o.pushedAtMs === null ? [] : [o.pushedAtMs]));
    const floodEnd = Math.max(floodStart, ...floodPushes);
    const floodDuration = floodEnd - floodStart;

    // Idle again after the load (settled for 2 s).
    await delay(2_000);
    const idleStart = { wall: nowMs(), cpu: cpuTimeMs(pid) ?? 0, threads: threadCpuTimesMs(pid) };
    await delay(options.idleMs);
    const idleCpu = cpuPercent((cpuTimeMs(pid) ?? 0) - idleStart.cpu, nowMs() - idleStart.wall);
    const idleThreads = threadCpuPercents(idleStart.threads, threadCpuTimesMs(pid), nowMs() - idleStart.wall);

    const memory = memoryKb(pid);
    // The trace is asked for only now: writing it out is the bench's own cost (a JSON string of
    // every exchange), which must not count in the bridge's peak resident set.
    const trace = traceFile ? await collectTrace(pid, traceFile) : null;
    const stages = trace ? stageTable(trace, outcomes) : null;
    const steadySet = new Set(steadyKeys);
    const steadyOutcomes = outcomes.filter((o) => steadySet.has(o.key));
    const steadyStages = trace ? stageTable(trace, steadyOutcomes) : null;
    const steadyTail = trace ? tailTable(trace, steadyOutcomes) : null;

    const delivered = outcomes.filter((o) => o.pushedAtMs !== null).length;
    return {
      modems: options.modems,
      pinnedCpus: options.cpuList ?? null,
      bridgeEntry: options.entry ? 'compiled (node dist/cli.js)' : 'sources via tsx',
      bridgeNodeArgs: rig.bridge.nodeArgs,
      ready: rig.ready,
      load: {
        ratePerS: options.ratePerS,
        injected: loadKeys.length,
        delivered,
        lost: loadKeys.length - delivered,
        latencyMs: rounded(distribution(latency)),
        latencyOverWire: rounded(distribution(ratio(loadKeys))),
        wireMs: rounded(distribution(measured.map((o) => o.wireMs))),
        steadyOverWire: rounded(distribution(ratio(steadyKeys))),
        burstyOverWire: rounded(distribution(ratio(burstyKeys))),
        multipartOverWire: rounded(
          distribution(ratio(outcomes.filter((o) => o.kind.endsWith('multipart')).map((o) => o.key))),
        ),
        breakdownMs: breakdown(measured),
        stages,
        steadyStages,
        steadyTail,
        bridgeCpuPercent: round(cpuPercent(loadEnd.bridge - loadStart.bridge, loadWall)),
        bridgeCpuMsPerSms: round((loadEnd.bridge - loadStart.bridge) / Math.max(1, delivered)),
      },
      flood: {
        injected: floodKeys.length,
        durationMs: round(floodDuration),
        durableSmsPerS: round((floodPushes.length * 1000) / floodDuration),
        peakSmsPerSIn1s: peakPerSecond(floodPushes),
      },
      bridge: {
        cpuMsTotal: cpuTimeMs(pid) ?? 0,
        peakRssMb: round((memory?.peakRssKb ?? 0) / 1024),
        peakRssBeforeFloodMb: round((memoryBeforeFlood?.peakRssKb ?? 0) / 1024),
        peakRssIdleMb: round((memoryIdle?.peakRssKb ?? 0) / 1024),
        idleCpuPercent: round(idleBeforeLoad, 2),
        idleCpuAfterLoadPercent: round(idleCpu, 2),
        idleCpuAfterLoadByThread: idleThreads.slice(0, 4).map((thread) => ({
          name: thread.name,
          percent: round(thread.percent, 2),
          sysPercent: round(thread.sysPercent, 2),
        })),
      },
      emulator: {
        cpuPercentDuringLoad: round(cpuPercent((loadEnd.self.user + loadEnd.self.system) / 1000, loadWall)),
        socatCpuPercentDuringLoad: round(cpuPercent(loadEnd.socat - loadStart.socat, loadWall)),
        loopDelayMs: {
          p50: round(loopDelay.percentile(50) / 1e6, 2),
          p99: round(loopDelay.percentile(99) / 1e6, 2),
          max: round(loopDelay.max / 1e6, 2),
        },
      },
    };
  } finally {
    if (options.cpuProfileDir) await rig.bridge.stop('SIGINT');
    await rig.close();
    if (traceFile) rmSync(traceFile, { force: true });
  }
}

function breakdown(outcomes: readonly MessageOutcome[]): ScenarioResult['load']['breakdownMs'] {
  const steps = outcomes.flatMap((o) => (o.breakdown ? [o.breakdown] : []));
  return {
    react: rounded(distribution(steps.map((s) => s.reactMs))),
    readToDelete: rounded(distribution(steps.map((s) => s.readToDeleteMs))),
    deleteToPush: rounded(distribution(steps.map((s) => s.deleteToPushMs))),
  };
}

async function waitForKeys(rig: BenchRig, keys: readonly number[], limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  const wanted = new Set(keys);
  let seen = new Set<number>();
  while (Date.now() < deadline) {
    seen = new Set([...rig.deliveredKeys().keys()].filter((key) => wanted.has(key)));
    if (seen.size === wanted.size) return;
    await delay(50);
  }
}

/** Most pushes inside any 1 s window. */
function peakPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) > 1_000) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}
