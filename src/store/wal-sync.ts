import { open } from 'node:fs/promises';
import type { SqliteDatabase } from './database.js';

/**
 * Makes commits durable off the main thread. better-sqlite3 is synchronous: under
 * `synchronous=FULL` every COMMIT blocks the event loop (every modem's reads, every push) for
 * the fsync of the WAL. A connection opened with `syncOffMainThread` runs `synchronous=NORMAL`
 * (COMMIT writes the WAL without syncing it) and each write batch is acknowledged only after
 * `fdatasync` of the WAL file, run on libuv's thread pool. What reaches the disk, and when a
 * caller may act on a commit (delete the SMS from the SIM, send its push), is what FULL gives;
 * only the thread that waits changes. Checkpoints still sync inside SQLite (NORMAL syncs the WAL
 * before copying it back, and the database after), as they did.
 *
 * Syncs are grouped: while one runs, every batch committed meanwhile waits for the next one,
 * which starts when the first ends and covers them all.
 */
export class WalSyncer {
  readonly #walPath: string;
  #running: Promise<void> | null = null;
  #next: { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | null = null;
  /** fdatasync calls completed, for tests and the curious. */
  syncs = 0;

  constructor(walPath: string) {
    this.#walPath = walPath;
  }

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (this.#running === null) {
      this.#running = this.#syncNow();
      return this.#running;
    }
    // The running sync may have started before this commit: wait for the next one.
    if (this.#next === null) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#next = { promise, resolve, reject };
    }
    return this.#next.promise;
  }

  async #syncNow(): Promise<void> {
    try {
      // Opened each time: SQLite may truncate or recreate the WAL between batches.
      const file = await open(this.#walPath, 'r').catch((err: unknown) => {
        // No WAL: the last connection closed, after checkpointing (and syncing) it into the
        // database file. What was committed is on disk already.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      });
      if (file === null) return;
      try {
        await file.datasync();
        this.syncs += 1;
      } finally {
        await file.close();
      }
    } finally {
      const next = this.#next;
      this.#next = null;
      if (next === null) this.#running = null;
      else {
        this.#running = this.#syncNow();
        this.#running.then(next.resolve, next.reject);
      }
    }
  }
}

const syncers = new WeakMap<SqliteDatabase, WalSyncer>();

/** Marks `db` as one whose write batches sync the WAL themselves (see `WalSyncer`). */
export function registerWalSyncer(db: SqliteDatabase, walPath: string): WalSyncer {
  const syncer = new WalSyncer(walPath);
  syncers.set(db, syncer);
  return syncer;
}

/** The syncer of `db`, or null when its COMMIT is durable by itself (FULL, or in memory). */
export function walSyncerOf(db: SqliteDatabase): WalSyncer | null {
  return syncers.get(db) ?? null;
}
