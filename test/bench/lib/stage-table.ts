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

export function stageTable(records: readonly TraceRecord[], outcomes: readonly MessageOutcome[]): StageRow[] {
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
  const samples = new Map<TableStage, { since: number[]; step: number[] }>(
    STAGE_ORDER.map(({ stage }) => [stage, { since: [], step: [] }]),
  );
  for (const outcome of outcomes) {
    const stored = outcome.lastStored;
    const indicated = outcome.indicatedAtMs;
    if (stored === null || indicated === null || outcome.pushedAtMs === null) continue;
    const list = byPortIndex.get(`modem-${String(stored.slot).padStart(2, '0')}#${stored.index}`) ?? [];
    // Slack for the conversion's rounding; the previous exchange on a slot is hundreds of ms
    // back, so it cannot be taken for this one.
    const record = list.find((r) => !r.used && (r.at.cmtiParsed ?? 0) >= indicated - CLOCK_SLACK_MS);
    if (!record) continue;
    record.used = true;
    const at: Partial<Record<TableStage | 'cmtiFirstByte', number>> = {
      ...record.at,
      pushReceived: outcome.pushedAtMs,
      cmtiFirstByte: indicated,
    };
    for (const { stage, after } of STAGE_ORDER) {
      const time = at[stage];
      const before = at[after];
      if (time === undefined || before === undefined) continue;
      const bucket = samples.get(stage);
      bucket?.since.push(time - indicated);
      bucket?.step.push(time - before);
    }
  }
  return STAGE_ORDER.map(({ stage, after }) => ({
    stage,
    after,
    sinceCmti: rounded(distribution(samples.get(stage)?.since ?? [])),
    step: rounded(distribution(samples.get(stage)?.step ?? [])),
  }));
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
