/**
 * What the push worker needs from storage, and what it sends. The SQLite repository implements
 * `OutboxStore`; a PostgreSQL one can later, without the worker changing.
 */

/** The PUSH_SMS body, CONTRACT.md §4. Field order is the seed's. */
export interface PushSmsBody {
  smsId: number;
  phoneFrom: string;
  phone: string;
  text: string;
  action: 'PUSH_SMS';
  key: string;
}

/** Where a push goes: the activation push URL, or `rent` for pushSmsRent (`onlinesim.pushRentUrl`). */
export type PushTarget = 'rent';

/**
 * The body as stored: everything but the key, which is added at send time from config, plus the
 * target URL (absent: the activation push URL), chosen by the operation's kind when queued.
 */
export type StoredPushBody = Omit<PushSmsBody, 'key' | 'action'> & { target?: PushTarget };

export type PushState = 'pending' | 'delivered' | 'rejected' | 'expired' | 'stopped';

export interface PendingPush {
  id: number;
  messageId: number;
  operationId: number;
  body: StoredPushBody;
  /** Attempts already made. */
  attempts: number;
  createdAtMs: number;
  nextAttemptAtMs: number;
  /**
   * When this process's lease on the push ends, if the store reported it: set on a push
   * queued already leased by the transaction that stored its message (see
   * `PushWorker.submit`), so the worker can tell whether the lease still covers a request.
   */
  leaseUntilMs?: number;
}

/**
 * Asks a store write that may queue a push to lease that push to this process in the same
 * transaction ("born leased"), until `leaseUntilMs`. The caller then hands the push it gets
 * back to a running `PushWorker.submit`: until the lease ends, no claim takes it.
 */
export interface PushLease {
  leaseUntilMs: number;
}

/** The outcome of one HTTP attempt, as recorded. */
export interface PushAttemptRecord {
  pushId: number;
  attempt: number;
  startedAtMs: number;
  finishedAtMs: number;
  httpStatus: number | null;
  /** Error name from the body (NO_OPERATION, BAD_SERVICE, ...) or network error code. */
  errorName: string | null;
  /** First 512 characters of the answer body, for the operator. */
  responseSnippet: string | null;
}

export interface OutboxStore {
  /**
   * Returns up to `limit` pushes whose `nextAttemptAtMs <= nowMs`, oldest first, and leases them
   * until `leaseUntilMs` so a concurrent claimer does not take them again.
   */
  claimDue(nowMs: number, limit: number, leaseUntilMs: number): Promise<PendingPush[]>;
  /** Earliest `nextAttemptAtMs` of any pending push, or null when the outbox is empty. */
  nextDueAtMs(): Promise<number | null>;
  /** True while the operation can still receive pushes (not finished/cancelled). */
  isOperationOpen(operationId: number): Promise<boolean>;
  /** Records an attempt and, in the same transaction, the push's new state. */
  recordDelivered(record: PushAttemptRecord): Promise<void>;
  recordRejected(record: PushAttemptRecord, reason: string): Promise<void>;
  recordRetry(record: PushAttemptRecord, nextAttemptAtMs: number): Promise<void>;
  /** Ends a push without an attempt: `expired` (max age) or `stopped` (operation finished). */
  endWithoutAttempt(
    pushId: number,
    state: 'expired' | 'stopped',
    reason: string,
    atMs: number,
  ): Promise<void>;
  /**
   * Optional, called once when the worker starts, before its first claim: clears the leases a
   * previous process left behind and returns how many there were. A lease is taken by
   * `claimDue` just before the request goes out (or by the transaction that queued the push,
   * when the push is handed to the worker directly) and cleared by the `record*`/`endWithoutAttempt`
   * call that follows, so a lease still set at start-up means the process died with that request
   * possibly in flight: Onlinesim may have answered 200 without the answer being committed, and
   * sending it again may duplicate it. The worker counts these (`duplicate_window`) and sends them
   * again at once. Only valid while one process owns the outbox (the SQLite deployment).
   */
  releaseAbandonedLeases?(nowMs: number): Promise<number>;
  /**
   * Optional: gives back this process's leases on pushes it holds but never sent (queued
   * already leased, then the worker stopped), so they are due again at once and not counted as
   * a possible duplicate at the next start. Pushes no longer pending are left as they are.
   */
  releaseLeases?(pushIds: readonly number[]): Promise<void>;
}
