import { writeFileSync } from 'node:fs';

/**
 * Where each stored SMS is, step by step, from its `+CMTI` to its `AT+CMGD`: a cheap recorder
 * the benchmark switches on (`SIMBRIDGE_STAGE_TRACE=<file>`) to see which step holds a message
 * up. Off by default: the bridge then holds `NO_TRACE`, whose calls do nothing.
 *
 *   serial tap (transport)      +CMTI parsed · AT+CMGR written · reply complete · AT+CMGD written
 *   ingest (bridge)             decoded · committed (learns the push id)
 *   push worker                 PUSH_SMS sent · answer received (by push id)
 *
 * One exchange is keyed by port and SIM index while it runs; the push id links the push
 * steps to it once the commit has queued the push. Times are ms of the system's monotonic clock
 * (`monotonicMs`, CLOCK_MONOTONIC, the same in every process of the machine): the benchmark joins
 * them with its emulator's stamps exactly. Wall clocks would not do: the system's is stepped and
 * slewed while a run goes on, and two processes' `performance.timeOrigin` can differ from it by
 * seconds when they start on a loaded machine.
 */

export const TRACE_STAGES = [
  'cmtiParsed',
  'readWritten',
  'replyComplete',
  'decoded',
  'committed',
  'pushSent',
  'answerReceived',
  'deleteWritten',
] as const;
export type TraceStage = (typeof TRACE_STAGES)[number];

/** One stored-message exchange as traced. */
export interface TraceRecord {
  port: string;
  index: number;
  /** The push this exchange's commit queued (null: none, e.g. a first part). */
  pushId: number | null;
  at: Partial<Record<TraceStage, number>>;
}

export interface StageTrace {
  readonly enabled: boolean;
  /** A step of the exchange of `index` on `port`. The first time a step is seen counts. */
  mark(port: string, index: number, stage: TraceStage): void;
  /** The commit of that exchange queued this push: later push steps are marked by its id. */
  linkPush(port: string, index: number, pushId: number): void;
  markPush(pushId: number, stage: 'pushSent' | 'answerReceived'): void;
}

export const NO_TRACE: StageTrace = {
  enabled: false,
  mark: () => {},
  linkPush: () => {},
  markPush: () => {},
};

/** Ms of CLOCK_MONOTONIC with sub-ms precision: one clock for every process on the machine. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const now = monotonicMs;

/** Most finished exchanges kept; older ones are dropped so a long run cannot grow without end. */
const DEFAULT_LIMIT = 200_000;

export class StageRecorder implements StageTrace {
  readonly enabled = true;
  readonly #open = new Map<string, TraceRecord>();
  readonly #byPush = new Map<number, TraceRecord>();
  readonly #done: TraceRecord[] = [];
  readonly #limit: number;

  constructor(limit = DEFAULT_LIMIT) {
    this.#limit = limit;
  }

  mark(port: string, index: number, stage: TraceStage): void {
    const key = `${port}#${index}`;
    let record = this.#open.get(key);
    if (record === undefined || (stage === 'cmtiParsed' && record.at.cmtiParsed !== undefined)) {
      // A new indication for a slot starts a new exchange (the previous one was never deleted).
      if (record !== undefined) this.#finish(key, record);
      if (stage !== 'cmtiParsed') return; // a read no +CMTI started (a sweep): not traced
      record = { port, index, pushId: null, at: {} };
      this.#open.set(key, record);
    }
    record.at[stage] ??= now();
    if (stage === 'deleteWritten') this.#finish(key, record);
  }

  linkPush(port: string, index: number, pushId: number): void {
    const record = this.#open.get(`${port}#${index}`);
    if (record === undefined) return;
    record.pushId = pushId;
    this.#byPush.set(pushId, record);
  }

  markPush(pushId: number, stage: 'pushSent' | 'answerReceived'): void {
    const record = this.#byPush.get(pushId);
    if (record === undefined) return;
    record.at[stage] ??= now();
    if (stage === 'answerReceived') this.#byPush.delete(pushId);
  }

  /** Every exchange seen so far, finished ones first. */
  records(): TraceRecord[] {
    return [...this.#done, ...this.#open.values()];
  }

  /** Writes `records()` as JSON to `path` (synchronously: called from a signal handler). */
  dump(path: string): void {
    writeFileSync(path, JSON.stringify(this.records()));
  }

  #finish(key: string, record: TraceRecord): void {
    this.#open.delete(key);
    this.#done.push(record);
    if (this.#done.length > this.#limit) this.#done.splice(0, this.#done.length - this.#limit);
  }
}
