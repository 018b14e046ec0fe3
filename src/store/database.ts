import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayError } from '../errors.js';
import { registerWalSyncer } from './wal-sync.js';

/** The better-sqlite3 handle type, re-exported so other store files need not import the driver. */
export type SqliteDatabase = Database.Database;
/** A function wrapped once by `db.transaction(fn)`, callable as often as needed. */
export type SqliteTransaction<F extends (...args: never[]) => unknown> = Database.Transaction<F>;

/** One schema step. `version` numbers start at 1 and have no gaps; `sql` runs in one transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface OpenDatabaseOptions {
  /** How long a writer waits for another connection's lock before failing (SQLite busy_timeout). */
  busyTimeoutMs?: number;
  /**
   * Sync the WAL after each write batch on libuv's thread pool instead of inside COMMIT on the
   * main thread (`synchronous=NORMAL` plus the batchers' own fdatasync, see wal-sync.ts): the
   * same durability for every write made through a `WriteBatcher`, which is every write the
   * bridge makes. Ignored for in-memory databases. Default false (`synchronous=FULL`).
   */
  syncOffMainThread?: boolean;
  /** Most page cache the connection keeps, in KiB (SQLite `cache_size`). Default 1024. */
  cacheKiB?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/**
 * better-sqlite3 builds SQLite with a 16 MB page cache per connection (SQLITE_DEFAULT_CACHE_SIZE
 * = -16000), filled as the database grows: resident memory that rises with the farm's history.
 * 1 MiB holds the hot part of every index; with 64 modems at 200 SMS/s it cut the bridge's
 * malloc heap after the benchmark from 10.7 to 6.0 MB and the peak RSS by 4-5 MB with no
 * measurable CPU cost (the pages come from the OS cache when needed).
 */
const DEFAULT_CACHE_KIB = 1024;

/**
 * Opens (creating it and its directory if needed) the SQLite database at `path`, or an in-memory
 * one for `':memory:'`, with the settings every simbridge connection must have:
 *
 * - `journal_mode=WAL`: readers (admin API) never block the ingest writer.
 * - `synchronous=FULL`: in WAL mode, `NORMAL` skips the fsync of the WAL at each commit and only
 *   syncs at checkpoints, so a transaction that has already returned from COMMIT can vanish when
 *   a Pi's SD card loses power. The driver deletes the SMS from the SIM as soon as the commit
 *   is acknowledged, so a lost commit would be a lost SMS: `FULL` syncs the WAL on every commit.
 *   With `syncOffMainThread` the write batchers do that sync themselves before acknowledging.
 * - `foreign_keys=ON` (off by default in SQLite, per connection).
 * - `busy_timeout`, so a second connection (e.g. a CLI reading the store) waits instead of failing.
 * - `cache_size`: a bounded page cache (see `DEFAULT_CACHE_KIB`).
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    if (path !== ':memory:' && !path.startsWith('file:')) createPrivately(path);
    db = new Database(path);
  } catch (err) {
    throw new GatewayError('STORE_OPEN_FAILED', `cannot open database ${path}`, {
      cause: err,
      context: { path },
    });
  }
  db.pragma('journal_mode = WAL');
  const offThread = (options.syncOffMainThread ?? false) && !db.memory;
  db.pragma(offThread ? 'synchronous = NORMAL' : 'synchronous = FULL');
  if (offThread) registerWalSyncer(db, `${db.name}-wal`);
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = -${Math.max(64, Math.trunc(options.cacheKiB ?? DEFAULT_CACHE_KIB))}`);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
  return db;
}

/**
 * The database holds every SMS, one-time codes included: folders it creates are 0700 and the
 * file 0600, whatever the umask lets through otherwise. SQLite gives the `-wal` and `-shm` files
 * the database file's mode, so creating the empty file first with 0600 covers them too. An
 * existing file or folder keeps the mode its operator gave it.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}

/** The schema version recorded in the database header (`PRAGMA user_version`). */
export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to the last migration in `migrations`. Each migration runs in its own
 * transaction together with the `user_version` bump, so a crash leaves the schema at a whole
 * version. Already applied versions are skipped, so running it at every start is safe.
 * Returns the versions applied by this call.
 */
export function runMigrations(db: SqliteDatabase, migrations: readonly Migration[]): number[] {
  assertWellFormed(migrations);
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new GatewayError(
      'STORE_SCHEMA_TOO_NEW',
      `database schema ${current} is newer than this build (${latest})`,
      {
        context: { current, latest },
      },
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (err) {
      throw new GatewayError(
        'STORE_MIGRATION_FAILED',
        `migration ${migration.version} (${migration.name}) failed`,
        {
          cause: err,
          context: { version: migration.version, name: migration.name },
        },
      );
    }
    applied.push(migration.version);
  }
  return applied;
}

function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new GatewayError(
        'STORE_MIGRATIONS_INVALID',
        `migration list must be numbered 1..n without gaps; position ${index + 1} has version ${migration.version}`,
        { context: { name: migration.name } },
      );
    }
  });
}
