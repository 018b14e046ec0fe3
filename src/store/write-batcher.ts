import { GatewayError, isGatewayError } from '../errors.js';
import type { SqliteDatabase, SqliteTransaction } from './database.js';
import { type WalSyncer, walSyncerOf } from './wal-sync.js';

/*
 *  run(work) ──┐
 *  run(work) ──┼─► queue ──(next setImmediate)──► BEGIN
 *  run(work) ──┘                                   SAVEPOINT work1 … RELEASE   (or ROLLBACK TO)
 *                                                  SAVEPOINT work2 … RELEASE
 *                                                COMMIT (one WAL fsync) ──► resolve/reject each
 *
 * On a connection opened with `syncOffMainThread`, COMMIT does not sync: the batch is settled
 * after the WAL's fdatasync on the thread pool (wal-sync.ts), while the next batch may already
 * run on the main thread.
 */

/** The real event loop's setImmediate, kept even if a test installs fake timers later. */
const realSetImmediate = globalThis.setImmediate;

export interface WriteBatcherOptions {
  /** Most units of work in one transaction. */
  maxBatch?: number;
  /**
   * Open each transaction with `BEGIN IMMEDIATE`: its reads already hold the write lock, so a
   * unit that reads then writes (choose a free SIM, then take it) cannot race another connection.
   */
  immediate?: boolean;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Groups write units queued during one turn of the event loop into one SQLite transaction, so
 * that many modems' messages share one commit (one fsync under `synchronous=FULL`). Each unit runs
 * in its own savepoint: a unit that throws is rolled back alone and its promise rejects; the
 * others commit. Every promise settles only after the COMMIT has returned, so a caller that sees
 * it resolve knows its rows are durable.
 */
export class WriteBatcher {
  readonly #maxBatch: number;
  readonly #immediate: boolean;
  readonly #syncer: WalSyncer | null;
  /**
   * The batch's transaction and each unit's savepoint, wrapped once: better-sqlite3's
   * `db.transaction(fn)` builds four wrappers and their property descriptors on every call,
   * which made it the largest single allocation per SMS under load (a sampling heap profile of
   * `npm run bench -- e2e` at 200 SMS/s). The same wrapper run inside the batch's transaction
   * is a SAVEPOINT, exactly as a fresh one was.
   */
  readonly #batch: SqliteTransaction<(jobs: readonly Job[], outcomes: Outcome[]) => void>;
  readonly #unit: SqliteTransaction<(work: () => unknown) => unknown>;
  #queue: Job[] = [];
  #scheduled = false;

  constructor(db: SqliteDatabase, options: WriteBatcherOptions = {}) {
    this.#syncer = walSyncerOf(db);
    this.#maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.#immediate = options.immediate ?? false;
    this.#unit = db.transaction((work: () => unknown) => work());
    this.#batch = db.transaction((jobs: readonly Job[], outcomes: Outcome[]) => {
      for (const job of jobs) {
        try {
          // A nested better-sqlite3 transaction is a SAVEPOINT: a failure rolls back this unit only.
          outcomes.push({ ok: true, value: this.#unit(job.work) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
  }

  /** Queues `work` (synchronous database code) and resolves with its result once committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Units still waiting for their transaction. */
  get queued(): number {
    return this.#queue.length;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    realSetImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const jobs = this.#queue.splice(0, this.#maxBatch);
    if (this.#queue.length > 0) this.#schedule();
    if (jobs.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      if (this.#immediate) this.#batch.immediate(jobs, outcomes);
      else this.#batch(jobs, outcomes);
    } catch (err) {
      const failure = asStoreError(err, 'commit failed');
      for (const job of jobs) job.reject(failure);
      return;
    }
    const settle = (): void =>
      jobs.forEach((job, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) job.resolve(outcome.value);
        else job.reject(asStoreError(outcome?.error, 'write failed'));
      });
    if (this.#syncer === null) {
      settle();
      return;
    }
    // Committed but not yet durable: nobody may act on it (delete an SMS, send a push) before.
    this.#syncer.sync().then(settle, (err: unknown) => {
      const failure = asStoreError(err, 'sync of the write-ahead log failed');
      for (const job of jobs) job.reject(failure);
    });
  }
}

/** Keeps typed errors as they are; wraps driver errors as `STORE_FAILED` with the cause. */
export function asStoreError(err: unknown, what: string): Error {
  if (isGatewayError(err)) return err;
  return new GatewayError('STORE_FAILED', `store ${what}`, { cause: err });
}
