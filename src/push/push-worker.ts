import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { PushAttempts } from './push-attempt.js';
import { PushHealth } from './push-health.js';
import { PUSH_WORKER_DEFAULTS, type PushTimers, type PushWorkerOptions } from './push-worker-options.js';
import type { PendingPush } from './types.js';

export {
  PUSH_WORKER_DEFAULTS,
  type PushOutcome,
  type PushOutcomeKind,
  type PushSender,
  type PushTimers,
  type PushWorkerOptions,
} from './push-worker-options.js';

/**
 * Drains the outbox: claims due pushes and sends each once, within the concurrency bound; one
 * attempt (send, classify, record) is `PushAttempts`' job.
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
 * A push claimed but not recorded keeps its lease; at start-up the worker asks the store how many
 * such leases a dead process left (`releaseAbandonedLeases`) and reports them as the
 * `duplicate_window` count.
 */

interface InFlight {
  promise: Promise<void>;
  abort: AbortController;
}

export class PushWorker {
  readonly #options: PushWorkerOptions;
  readonly #clock: () => number;
  readonly #timers: PushTimers;
  readonly #log: Logger;
  readonly #health: PushHealth;
  readonly #attempts: PushAttempts;
  /** Every push being worked on: its request, then the write recording its answer. */
  readonly #inFlight = new Map<number, InFlight>();
  /**
   * The pushes whose request is out: what `concurrency` bounds. A push leaves this set when its
   * answer arrives, so the next request does not wait for the previous answer's commit.
   */
  readonly #requesting = new Set<number>();
  /** Pushes handed over by `submit` while every slot was busy, oldest first. */
  readonly #waiting = new Map<number, PendingPush>();
  #loop: Promise<void> | null = null;
  #stopping = false;
  #kicked = false;
  /** The loop sleeps until a slot frees (not until a time or a kick from a new push). */
  #waitingForSlot = false;
  #wake: (() => void) | null = null;

  constructor(options: PushWorkerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#timers = options.timers ?? {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    this.#log = (options.log ?? silentLogger()).child({ layer: 'push' });
    this.#health = options.health ?? new PushHealth();
    this.#attempts = new PushAttempts(options, this.#clock, this.#log, this.#health);
  }

  /** Whether Onlinesim refuses the key right now (for /healthz and the status page). */
  get health(): PushHealth {
    return this.#health;
  }

  /** Pushes being worked on right now (a request out, or its answer being recorded). */
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
    if (this.#freeSlots() > 0 && this.#waiting.size === 0) this.#launch(push);
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
        const free = this.#freeSlots();
        let claimedAll = false;
        const now = this.#clock();
        if (free > 0) {
          const leaseUntilMs = now + this.#options.leaseMs;
          const due = await this.#options.store.claimDue(now, free, leaseUntilMs);
          for (const push of due) {
            // A submitted push whose lease ran out while it waited: the claim renewed the lease.
            this.#waiting.delete(push.id);
            // Submits may have taken slots while the claim ran: the bound holds, the rest wait.
            if (this.#freeSlots() > 0) this.#launch(push);
            else this.#waiting.set(push.id, { ...push, leaseUntilMs: push.leaseUntilMs ?? leaseUntilMs });
          }
          claimedAll = due.length < free;
          if (!claimedAll) continue; // every slot taken: there may be more due right now
        }
        const sleepMs = await this.#sleepMs(claimedAll, now);
        if (sleepMs === 0) continue;
        // Every slot taken and more may be due: the next slot to free wakes the loop.
        this.#waitingForSlot = !claimedAll;
        await this.#sleep(sleepMs);
        this.#waitingForSlot = false;
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
      if (this.#freeSlots() <= 0) return;
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
    this.#requesting.add(push.id);
    const freeSlot = (): void => {
      if (!this.#requesting.delete(push.id)) return;
      this.#launchWaiting();
      if (this.#waitingForSlot) this.kick();
    };
    const promise = this.#attempts
      .run(push, abort.signal, freeSlot)
      .catch((err: unknown) =>
        this.#log.error({ err, pushId: push.id }, 'push step failed; the lease will expire'),
      )
      .finally(() => {
        this.#inFlight.delete(push.id);
        freeSlot();
        this.kick();
      });
    this.#inFlight.set(push.id, { promise, abort });
  }

  /** Requests that may start now without passing the concurrency bound. */
  #freeSlots(): number {
    return this.#options.concurrency - this.#requesting.size;
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
}
