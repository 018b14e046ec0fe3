import pRetry from 'p-retry';
import { toError } from '../errors.js';
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import {
  classifyPushAnswer,
  type PushAnswer,
  type PushHttpAnswer,
  type PushVerdict,
} from './classify-answer.js';
import type { OutboxStore, PendingPush, PushAttemptRecord, PushSmsBody } from './types.js';

/**
 * Drains the outbox: claims due pushes, sends each once, classifies the answer, records it.
 *
 *   submit(leased push) ─────────────────────────────┐
 *   kick() / due timer ──► claimDue(now, free slots) ──┴► per push, up to `concurrency` at once:
 *        ▲                      expired? ──► endWithoutAttempt('expired')
 *        │                      operation closed? ──► endWithoutAttempt('stopped')
 *        │                      send ──► classifyPushAnswer ──► recordDelivered / Rejected / Retry
 *        └──────── sleep until nextDueAtMs() (or a kick, or a push finishing) ◄──┘
 *
 * Why the store, not p-retry, drives the 10 s retries: a restart (or kill -9) must resume every
 * pending push at its due time, so the schedule has to live in the store, and each attempt is
 * one claim → one request → one record. A p-retry loop held in memory would lose its place on
 * restart and hold a concurrency slot for the whole retry sequence. p-retry still wraps the
 * `record*` step, whose transient failures (SQLite busy) must not turn a 200 into a resend.
 *
 * The 200 → commit window, where a crash could cause a duplicate, is kept to the time of one
 * store write: the answer is recorded before anything else (no logging, no callbacks first). A
 * push claimed but not recorded keeps its lease; at start-up the worker asks the store how many
 * such leases a dead process left (`releaseAbandonedLeases`) and reports them as the
 * `duplicate_window` count.
 */

/** Timers the worker sleeps with; injectable so tests drive time by hand. */
export interface PushTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What the worker needs from `PushClient`. */
export interface PushSender {
  send(body: PushSmsBody, signal?: AbortSignal): Promise<PushHttpAnswer>;
}

export type PushOutcomeKind = 'delivered' | 'rejected' | 'retry' | 'expired' | 'stopped';

/** One push's step, for metrics (`pushes by outcome and status`, latency histogram). */
export interface PushOutcome {
  kind: PushOutcomeKind;
  pushId: number;
  operationId: number;
  /** 1-based number of the HTTP attempt; for expired/stopped the attempts already made. */
  attempt: number;
  httpStatus: number | null;
  errorName: string | null;
  /** Request duration; null when no request was made. */
  durationMs: number | null;
  /** Age of the push (since it was queued) at this step. */
  ageMs: number;
}

export interface PushWorkerOptions {
  store: OutboxStore;
  client: PushSender;
  /** Added to every body as `key` at send time; never logged. */
  apiKey: string;
  /** Config `push.retryDelayMs` (the seed's 10 s); a longer Retry-After wins. */
  retryDelayMs: number;
  /** Config `push.maxAgeMs`: older pushes end as `expired`. */
  maxAgeMs: number;
  /** Config `push.concurrency`: requests in flight at most. */
  concurrency: number;
  /** How long a claim holds a push; must exceed one request (3 × the client timeout is safe). */
  leaseMs: number;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
  timers?: PushTimers;
  log?: Logger;
  onOutcome?: (outcome: PushOutcome) => void;
  /** Called once at start with the number of pushes a dead process left in flight. */
  onDuplicateWindow?: (count: number) => void;
  /** When the outbox is empty, look again this often even without a kick. Default 5 s. */
  idlePollMs?: number;
  /** `stop()` waits this long for requests in flight before aborting them. Default 5 s. */
  stopGraceMs?: number;
  /** Attempts for one `record*` store write. Default 3. */
  recordAttempts?: number;
}

/** Defaults of the optional {@link PushWorkerOptions} timings. */
export const PUSH_WORKER_DEFAULTS = {
  idlePollMs: 5_000,
  stopGraceMs: 5_000,
  recordAttempts: 3,
} as const;

interface InFlight {
  promise: Promise<void>;
  abort: AbortController;
}

export class PushWorker {
  readonly #options: PushWorkerOptions;
  readonly #clock: () => number;
  readonly #timers: PushTimers;
  readonly #log: Logger;
  readonly #inFlight = new Map<number, InFlight>();
  /** Pushes handed over by `submit` while every slot was busy, oldest first. */
  readonly #waiting = new Map<number, PendingPush>();
  #loop: Promise<void> | null = null;
  #stopping = false;
  #kicked = false;
  #wake: (() => void) | null = null;

  constructor(options: PushWorkerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    this.#log = (options.log ?? silentLogger()).child({ layer: 'push' });
  }

  /** Requests in flight right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Starts the loop (once). Pushes already due are sent at once. */
  start(): void {
    if (this.#loop !== null) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** A push was queued (or became due): look now instead of at the next timer. */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  /**
   * Sends a push the caller already holds a lease on (queued "born leased" by the transaction
   * that stored its message, see `PushLease`), without a claim: at once if a slot is free,
   * otherwise as soon as one is, before anything claimed later. The concurrency bound holds
   * either way. While the worker is not running the lease is given back (`releaseLeases`), so
   * the claim path sends the push with nothing counted as a possible duplicate.
   */
  submit(push: PendingPush): void {
    if (this.#loop === null || this.#stopping) {
      void this.#giveBack([push.id]);
      return;
    }
    if (this.#inFlight.has(push.id) || this.#waiting.has(push.id)) return;
    if (this.#inFlight.size < this.#options.concurrency && this.#waiting.size === 0) this.#launch(push);
    else this.#waiting.set(push.id, push);
  }

  /**
   * Stops claiming, waits up to `stopGraceMs` for requests in flight to be answered and
   * recorded, then aborts the rest (recorded as retries, so they resume after a restart).
   * Submitted pushes still waiting for a slot are not sent; their leases are given back.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.kick();
    await this.#loop;
    this.#loop = null;
    const unsent = [...this.#waiting.keys()];
    this.#waiting.clear();
    if (unsent.length > 0) await this.#giveBack(unsent);
    const pending = [...this.#inFlight.values()];
    if (pending.length === 0) return;
    let timer: unknown;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = this.#timers.setTimeout(
        () => resolve('timeout'),
        this.#options.stopGraceMs ?? PUSH_WORKER_DEFAULTS.stopGraceMs,
      );
    });
    const settled = Promise.allSettled(pending.map((entry) => entry.promise));
    const first = await Promise.race([settled, graceOver]);
    this.#timers.clearTimeout(timer);
    if (first === 'timeout') {
      this.#log.warn({ inFlight: pending.length }, 'stop: aborting PUSH_SMS requests still in flight');
      for (const entry of this.#inFlight.values()) entry.abort.abort();
      await Promise.allSettled([...this.#inFlight.values()].map((entry) => entry.promise));
    }
  }

  async #run(): Promise<void> {
    await this.#releaseAbandonedLeases();
    while (!this.#stopping) {
      this.#kicked = false;
      try {
        this.#launchWaiting();
        const free = this.#options.concurrency - this.#inFlight.size;
        let claimedAll = false;
        const now = this.#clock();
        if (free > 0) {
          const leaseUntilMs = now + this.#options.leaseMs;
          const due = await this.#options.store.claimDue(now, free, leaseUntilMs);
          for (const push of due) {
            // A submitted push whose lease ran out while it waited: the claim renewed the lease.
            this.#waiting.delete(push.id);
            // Submits may have taken slots while the claim ran: the bound holds, the rest wait.
            if (this.#inFlight.size < this.#options.concurrency) this.#launch(push);
            else this.#waiting.set(push.id, { ...push, leaseUntilMs: push.leaseUntilMs ?? leaseUntilMs });
          }
          claimedAll = due.length < free;
          if (!claimedAll) continue; // every slot taken: there may be more due right now
        }
        const sleepMs = await this.#sleepMs(claimedAll, now);
        if (sleepMs === 0) continue;
        await this.#sleep(sleepMs);
      } catch (err) {
        this.#log.error({ err }, 'outbox claim failed; trying again later');
        await this.#sleep(this.#options.retryDelayMs);
      }
    }
  }

  /**
   * How long to sleep: until the next due push, or the idle poll when none is waiting.
   * `claimedAtMs` is the time the last claim used.
   */
  async #sleepMs(claimedAll: boolean, claimedAtMs: number): Promise<number | null> {
    // All slots busy: a finishing push kicks the loop.
    if (!claimedAll) return null;
    const idlePollMs = this.#options.idlePollMs ?? PUSH_WORKER_DEFAULTS.idlePollMs;
    const next = await this.#options.store.nextDueAtMs();
    if (next === null) return idlePollMs;
    const delay = next - this.#clock();
    if (delay > 0) return delay;
    // Became due after the claim looked (the claim itself takes time): claim it now, rather
    // than an idle poll later, which would stretch the retry delay by up to `idlePollMs`.
    if (next > claimedAtMs) return 0;
    // Due when the claim looked, yet not claimed: leased by a request in flight (its end kicks us).
    return idlePollMs;
  }

  #sleep(ms: number | null): Promise<void> {
    if (this.#kicked || this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = ms === null ? undefined : this.#timers.setTimeout(() => done(), ms);
      const done = (): void => {
        if (handle !== undefined) this.#timers.clearTimeout(handle);
        this.#wake = null;
        resolve();
      };
      this.#wake = done;
    });
  }

  /**
   * Moves submitted pushes into free slots. One whose lease no longer covers a request
   * (`leaseMs / 2` left) is left to the claim path, which leases it again once it ends: a
   * request must never outlive the lease that keeps another claimer away.
   */
  #launchWaiting(): void {
    if (this.#stopping) return;
    const now = this.#clock();
    for (const [id, push] of this.#waiting) {
      if (this.#inFlight.size >= this.#options.concurrency) return;
      this.#waiting.delete(id);
      const leaseLeftMs = (push.leaseUntilMs ?? Number.POSITIVE_INFINITY) - now;
      if (leaseLeftMs >= this.#options.leaseMs / 2) this.#launch(push);
    }
  }

  /** Gives back leases on pushes this worker will not send; never rejects. */
  async #giveBack(pushIds: number[]): Promise<void> {
    const { store } = this.#options;
    if (store.releaseLeases === undefined) return;
    try {
      await store.releaseLeases(pushIds);
    } catch (err) {
      this.#log.warn({ err, pushIds }, 'could not give back push leases; they are sent when the leases end');
    }
  }

  #launch(push: PendingPush): void {
    // A store whose lease ran out while the request was still out would hand it back: never
    // send one push twice at the same time.
    if (this.#inFlight.has(push.id)) return;
    const abort = new AbortController();
    const promise = this.#process(push, abort.signal)
      .catch((err: unknown) =>
        this.#log.error({ err, pushId: push.id }, 'push step failed; the lease will expire'),
      )
      .finally(() => {
        this.#inFlight.delete(push.id);
        this.#launchWaiting();
        this.kick();
      });
    this.#inFlight.set(push.id, { promise, abort });
  }

  async #process(push: PendingPush, signal: AbortSignal): Promise<void> {
    const { store } = this.#options;
    const now = this.#clock();
    const ageMs = now - push.createdAtMs;
    if (ageMs >= this.#options.maxAgeMs) {
      await store.endWithoutAttempt(
        push.id,
        'expired',
        `not delivered within ${this.#options.maxAgeMs} ms`,
        now,
      );
      this.#report(push, 'expired', null, ageMs);
      this.#log.warn(
        { pushId: push.id, operationId: push.operationId, attempts: push.attempts },
        'push expired',
      );
      return;
    }
    if (!(await store.isOperationOpen(push.operationId))) {
      await store.endWithoutAttempt(
        push.id,
        'stopped',
        `operation ${push.operationId} is no longer open`,
        now,
      );
      this.#report(push, 'stopped', null, ageMs);
      this.#log.info({ pushId: push.id, operationId: push.operationId }, 'push stopped: operation finished');
      return;
    }
    const startedAtMs = this.#clock();
    let answer: PushAnswer;
    try {
      answer = await this.#options.client.send(this.#bodyFor(push), signal);
    } catch (err) {
      answer = { networkError: toError(err) };
    }
    const finishedAtMs = this.#clock();
    const verdict = classifyPushAnswer(answer, { nowMs: finishedAtMs });
    const record: PushAttemptRecord = {
      pushId: push.id,
      attempt: push.attempts + 1,
      startedAtMs,
      finishedAtMs,
      httpStatus: 'status' in answer ? answer.status : null,
      errorName: verdict.errorName,
      responseSnippet:
        'bodyText' in answer ? answer.bodyText.slice(0, 512) : answer.networkError.message.slice(0, 512),
    };
    // Commit first: this is the window in which a crash after a 200 would cause a duplicate.
    const nextAttemptAtMs = await this.#record(record, verdict, finishedAtMs);
    this.#report(push, verdict.kind, record, finishedAtMs - push.createdAtMs);
    this.#logVerdict(push, record, verdict, nextAttemptAtMs, answer);
  }

  async #record(record: PushAttemptRecord, verdict: PushVerdict, nowMs: number): Promise<number | null> {
    const { store } = this.#options;
    const nextAttemptAtMs =
      nowMs + Math.max(this.#options.retryDelayMs, verdict.kind === 'retry' ? (verdict.delayMs ?? 0) : 0);
    const write = (): Promise<void> => {
      switch (verdict.kind) {
        case 'delivered':
          return store.recordDelivered(record);
        case 'rejected':
          return store.recordRejected(record, verdict.reason);
        case 'retry':
          return store.recordRetry(record, nextAttemptAtMs);
      }
    };
    await pRetry(write, {
      retries: (this.#options.recordAttempts ?? PUSH_WORKER_DEFAULTS.recordAttempts) - 1,
      minTimeout: 25,
      factor: 4,
      onFailedAttempt: ({ error, attemptNumber }) =>
        this.#log.warn(
          { err: error, pushId: record.pushId, attemptNumber },
          'recording a push attempt failed',
        ),
    });
    return verdict.kind === 'retry' ? nextAttemptAtMs : null;
  }

  /** The seed's body, same every time for one push: stored fields plus action and key. */
  #bodyFor(push: PendingPush): PushSmsBody {
    return {
      smsId: push.body.smsId,
      phoneFrom: push.body.phoneFrom,
      phone: push.body.phone,
      text: push.body.text,
      action: 'PUSH_SMS',
      key: this.#options.apiKey,
    };
  }

  async #releaseAbandonedLeases(): Promise<void> {
    const { store } = this.#options;
    if (store.releaseAbandonedLeases === undefined) return;
    try {
      const count = await store.releaseAbandonedLeases(this.#clock());
      if (count > 0) {
        this.#log.warn({ count }, 'pushes were in flight when the last process died; they are sent again');
      }
      this.#options.onDuplicateWindow?.(count);
    } catch (err) {
      this.#log.error({ err }, 'could not release abandoned push leases; they resume when the leases expire');
    }
  }

  #report(
    push: PendingPush,
    kind: PushOutcome['kind'],
    record: PushAttemptRecord | null,
    ageMs: number,
  ): void {
    this.#options.onOutcome?.({
      kind,
      pushId: push.id,
      operationId: push.operationId,
      attempt: record?.attempt ?? push.attempts,
      httpStatus: record?.httpStatus ?? null,
      errorName: record?.errorName ?? null,
      durationMs: record === null ? null : record.finishedAtMs - record.startedAtMs,
      ageMs,
    });
  }

  #logVerdict(
    push: PendingPush,
    record: PushAttemptRecord,
    verdict: PushVerdict,
    nextAttemptAtMs: number | null,
    answer: PushAnswer,
  ): void {
    const fields = {
      pushId: push.id,
      operationId: push.operationId,
      attempt: record.attempt,
      httpStatus: record.httpStatus,
      errorName: record.errorName,
      durationMs: record.finishedAtMs - record.startedAtMs,
    };
    if (verdict.kind === 'delivered') this.#log.info(fields, 'PUSH_SMS delivered');
    else if (verdict.kind === 'rejected')
      this.#log.warn({ ...fields, reason: verdict.reason }, 'PUSH_SMS rejected');
    else {
      const err = 'networkError' in answer ? answer.networkError : undefined;
      this.#log.warn(
        { ...fields, err, reason: verdict.reason, nextAttemptAtMs },
        'PUSH_SMS to be sent again',
      );
    }
  }
}
