import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { monotonicMs, type TraceRecord, type TraceStage } from '../../../src/bridge/stage-trace.js';
import { delay } from '../../integration/support/wait.js';
import type { MessageOutcome } from './injection-tracker.js';
import { type Distribution, distribution, rounded } from './stats.js';

/**
 * The per-stage table: the bridge's own trace of each stored SMS (SIMBRIDGE_STAGE_TRACE, written
 * on SIGUSR2) joined with the emulator's first byte of the `+CMTI` and the moment the push
 * reached the mock server. The join is by modem and SIM index: a message's last part is the
 * first exchange the bridge traced on that port and index after that `+CMTI` went out. For every stage: the time since that first byte, and
 * the step from the stage it waits on, so the stage that holds a message up stands out.
 */

export type TableStage = TraceStage | 'pushReceived';

/** Each stage and the one it follows (the delete waits for the commit, not for the push). */
export const STAGE_ORDER: readonly { stage: TableStage; after: TableStage | 'cmtiFirstByte' }[] = [
  { stage: 'cmtiParsed', after: 'cmtiFirstByte' },
  { stage: 'readWritten', after: 'cmtiParsed' },
  { stage: 'replyComplete', after: 'readWritten' },
  { stage: 'decoded', after: 'replyComplete' },
  { stage: 'committed', after: 'decoded' },
  { stage: 'pushSent', after: 'committed' },
  { stage: 'pushReceived', after: 'pushSent' },
  { stage: 'answerReceived', after: 'pushReceived' },
  { stage: 'deleteWritten', after: 'committed' },
];

export interface StageRow {
  stage: TableStage;
  after: TableStage | 'cmtiFirstByte';
  /** ms since the first byte of the `+CMTI` on the line. */
  sinceCmti: Distribution;
  /** ms since the stage it follows. */
  step: Distribution;
}

/** Asks the bridge for its trace and reads it; null if none came within `limitMs`. */
export async function collectTrace(
  pid: number,
  file: string,
  limitMs = 5_000,
): Promise<TraceRecord[] | null> {
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as TraceRecord[];
      } catch {
        // still being written
      }
    }
    await delay(50);
  }
  return null;
}

/** How far the bridge's stamps may sit before the emulator's and still be the same exchange. */
const CLOCK_SLACK_MS = 5;

/** One traced SMS: its outcome and the time of every stage it reached, on the rig's clock. */
interface JoinedExchange {
  outcome: MessageOutcome;
  /** The `+CMTI`'s first byte and the push's arrival: the latency's two ends. */
  indicatedAtMs: number;
  pushedAtMs: number;
  at: Partial<Record<TableStage | 'cmtiFirstByte', number>>;
}

/** Pairs each delivered outcome with the bridge's trace of its last part's exchange. */
function joinTrace(records: readonly TraceRecord[], outcomes: readonly MessageOutcome[]): JoinedExchange[] {
  // The bridge stamps the system's monotonic clock; the emulator and the mock stamp this
  // process's `performance.timeOrigin + performance.now()`, which runs on the same clock from
  // another origin: one reading of both gives the exact shift.
  const toRigClock = performance.timeOrigin + performance.now() - monotonicMs();
  const byPortIndex = new Map<string, { at: Partial<Record<TraceStage, number>>; used: boolean }[]>();
  for (const record of records) {
    if (record.at.cmtiParsed === undefined) continue;
    const at = Object.fromEntries(
      Object.entries(record.at).map(([stage, time]) => [stage, time + toRigClock]),
    ) as Partial<Record<TraceStage, number>>;
    const key = `${basename(record.port)}#${record.index}`;
    const list = byPortIndex.get(key) ?? [];
    list.push({ at, used: false });
    byPortIndex.set(key, list);
  }
  for (const list of byPortIndex.values())
    list.sort((a, b) => (a.at.cmtiParsed ?? 0) - (b.at.cmtiParsed ?? 0));
  const joined: JoinedExchange[] = [];
  for (const outcome of outcomes) {
    const stored = outcome.lastStored;
    const indicated = outcome.indicatedAtMs;
    const pushed = outcome.pushedAtMs;
    if (stored === null || indicated === null || pushed === null) continue;
    const list = byPortIndex.get(`modem-${String(stored.slot).padStart(2, '0')}#${stored.index}`) ?? [];
    // Slack for the conversion's rounding; the previous exchange on a slot is hundreds of ms
    // back, so it cannot be taken for this one.
    const record = list.find((r) => !r.used && (r.at.cmtiParsed ?? 0) >= indicated - CLOCK_SLACK_MS);
    if (!record) continue;
    record.used = true;
    joined.push({
      outcome,
      indicatedAtMs: indicated,
      pushedAtMs: pushed,
      at: { ...record.at, pushReceived: pushed, cmtiFirstByte: indicated },
    });
  }
  return joined;
}

/** The step into `stage` of one exchange, in ms, or undefined if either end is missing. */
function stepOf(
  exchange: JoinedExchange,
  stage: TableStage,
  after: TableStage | 'cmtiFirstByte',
): number | undefined {
  const time = exchange.at[stage];
  const before = exchange.at[after];
  return time === undefined || before === undefined ? undefined : time - before;
}

export function stageTable(records: readonly TraceRecord[], outcomes: readonly MessageOutcome[]): StageRow[] {
  const joined = joinTrace(records, outcomes);
  return STAGE_ORDER.map(({ stage, after }) => {
    const since: number[] = [];
    const step: number[] = [];
    for (const exchange of joined) {
      const time = exchange.at[stage];
      const took = stepOf(exchange, stage, after);
      if (time === undefined || took === undefined) continue;
      since.push(time - exchange.indicatedAtMs);
      step.push(took);
    }
    return { stage, after, sinceCmti: rounded(distribution(since)), step: rounded(distribution(step)) };
  });
}

/** One step of the tail table (see `tailTable`). */
export interface TailRow {
  stage: TableStage;
  after: TableStage | 'cmtiFirstByte';
  /** Mean of the step over every traced message, ms. */
  allMs: number;
  /** Mean of the step over the slowest messages, ms. */
  tailMs: number;
}

export interface TailTable {
  /** How many messages the tail holds, and the latency / wire from which a message is in it. */
  count: number;
  fromRatio: number;
  /** Mean of latency minus wire time, over all and over the tail, ms. */
  overWireAllMs: number;
  overWireTailMs: number;
  rows: TailRow[];
}

/** The steps a push waits on, in order (the delete is off that path). */
const PUSH_PATH = STAGE_ORDER.filter(({ stage }) => stage !== 'answerReceived' && stage !== 'deleteWritten');

/**
 * Where the slowest messages lose their time. The p99 of each step alone does not say which step
 * made the p99 message slow (each step's worst cases fall on different messages); this takes the
 * slowest `share` of the messages by latency / wire and, for each step on the push's path, sets
 * its mean among them against its mean among all. Means, so that the steps add up to the
 * latency and the differences to what the tail has on top. The `+CMTI` and `AT+CMGR` answer
 * steps carry line time, which differs between GSM 7-bit and UCS-2 messages; the last row,
 * latency minus wire time, is what is left once each message's own line time is taken off.
 */
export function tailTable(
  records: readonly TraceRecord[],
  outcomes: readonly MessageOutcome[],
  share = 0.02,
): TailTable | null {
  const joined = joinTrace(records, outcomes).filter((e) => e.outcome.wireMs > 0);
  if (joined.length === 0) return null;
  const ratioOf = (e: JoinedExchange): number => (e.pushedAtMs - e.indicatedAtMs) / e.outcome.wireMs;
  const sorted = [...joined].sort((a, b) => ratioOf(b) - ratioOf(a));
  const tail = sorted.slice(0, Math.max(1, Math.round(sorted.length * share)));
  const mean = (values: number[]): number => rounded(distribution(values)).mean;
  const overWire = (list: JoinedExchange[]): number =>
    mean(list.map((e) => e.pushedAtMs - e.indicatedAtMs - e.outcome.wireMs));
  const stepMean = (list: JoinedExchange[], stage: TableStage, after: TableStage | 'cmtiFirstByte'): number =>
    mean(list.flatMap((e) => stepOf(e, stage, after) ?? []));
  return {
    count: tail.length,
    fromRatio: Number(ratioOf(tail[tail.length - 1] as JoinedExchange).toFixed(3)),
    overWireAllMs: overWire(sorted),
    overWireTailMs: overWire(tail),
    rows: PUSH_PATH.map(({ stage, after }) => ({
      stage,
      after,
      allMs: stepMean(sorted, stage, after),
      tailMs: stepMean(tail, stage, after),
    })),
  };
}

export function printTailTable(table: TailTable, title: string): void {
  console.log(
    `  ${title} (n=${table.count}, latency/wire >= ${table.fromRatio}): step mean, all / slowest (ms)`,
  );
  for (const row of table.rows) {
    console.log(`    ${row.stage.padEnd(20)} ${`${row.allMs} / ${row.tailMs}`.padEnd(24)}(${row.after})`);
  }
  console.log(`    ${'latency - wire'.padEnd(20)} ${table.overWireAllMs} / ${table.overWireTailMs}`);
}

export function printStageTable(rows: readonly StageRow[], title = 'per stage (ms)'): void {
  console.log(`  ${title.padEnd(22)} ${'since +CMTI p50 / p99'.padEnd(24)}step p50 / p99  (step from)`);
  for (const row of rows) {
    const since = `${row.sinceCmti.p50} / ${row.sinceCmti.p99}`;
    const step = `${row.step.p50} / ${row.step.p99}`;
    console.log(
      `    ${row.stage.padEnd(20)} ${since.padEnd(24)}${step.padEnd(16)} (${row.after}, n=${row.step.count})`,
    );
  }
}
