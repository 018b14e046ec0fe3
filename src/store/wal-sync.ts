import { type FileHandle, open } from 'node:fs/promises';
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
 * The WAL stays open between syncs (one pool round trip per batch, not three): SQLite keeps the
 * file, truncating or rewinding it but never replacing it, while its connection is open, and
 * deletes it only when the last connection closes, after checkpointing it into the database.
 * Each batch gets its own fdatasync, started right after its COMMIT; the kernel merges those that
 * overlap.
 */
export class WalSyncer {
  readonly #walPath: string;
  #file: Promise<FileHandle | null> | null = null;
  /** fdatasync calls completed, for tests and the curious. */
  syncs = 0;

  constructor(walPath: string) {
    this.#walPath = walPath;
  }

  /** Resolves once everything committed before this call is on disk. */
  async sync(): Promise<void> {
    this.#file ??= this.#open();
    const file = await this.#file;
    // No WAL: the last connection closed, after checkpointing (and syncing) it into the
    // database file. What was committed is on disk already.
    if (file === null) return;
    await file.datasync();
    this.syncs += 1;
  }

  /** Closes the WAL handle (the connection is closing); later syncs reopen it if it exists. */
  async close(): Promise<void> {
    const file = this.#file;
    this.#file = null;
    await (await file?.catch(() => null))?.close();
  }

  async #open(): Promise<FileHandle | null> {
    try {
      return await open(this.#walPath, 'r');
    } catch (err) {
      // Opened again at the next sync: an error must not stick to every later batch.
      this.#file = null;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
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
