import type { Config } from '../config/index.js';
import type { Logger } from '../log.js';
import type { FarmRegistry } from '../reseller/live-sims.js';
import { openDatabase, runMigrations } from './database.js';
import { MIGRATIONS } from './migrations/index.js';
import type { BridgeRepository } from './repository.js';
import { SqliteResellerStore } from './reseller-sqlite-store.js';
import type { ResellerStore } from './reseller-store.js';
import type { SimNumberStore } from './sim-number-store.js';
import { type SmsCountReader, sqliteSmsCounts } from './sms-counts.js';
import { SqliteRepository } from './sqlite-repository.js';
import { SqliteSimNumberStore } from './sqlite-sim-numbers.js';
import { walSyncerOf } from './wal-sync.js';

/** The store the bridge runs on, whichever backend the config chose. */
export interface OpenedStore {
  kind: 'sqlite' | 'postgres';
  repository: BridgeRepository;
  reseller: ResellerStore;
  /** Numbers the SIMs reported themselves, and their confirmations (src/sims). */
  sims: SimNumberStore;
  /** The farm's shared view of hosts and SIMs; null on SQLite (one host owns the store). */
  farm: FarmRegistry | null;
  /** SMS counts since a day and an hour ago, for the status page history after a restart. */
  smsCounts: SmsCountReader;
  /** Where the store is, for logs: the file, or the URL with its password replaced. */
  location: string;
  /** Schema versions this open applied. */
  migrated: number[];
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  clock?: () => number;
  /**
   * Called while PostgreSQL cannot be reached at start; the open then waits for it (tries again
   * after `retryMs`, doubling up to 10 s) instead of failing. Without it, an unreachable server
   * fails the open at once.
   */
  onUnreachable?: (err: Error, retryMs: number) => void;
  /** First pause between tries while waiting. Default 1 s. */
  retryMs?: number;
  /** Where a shared store reports a lost change feed (PostgreSQL). Default: silent. */
  log?: Logger;
}

/**
 * Opens and migrates the configured store: `storage.postgres` when set, else the SQLite file
 * `storage.sqlite`. The rest of the bridge sees only the interfaces returned.
 */
export async function openStore(
  config: Pick<Config, 'storage' | 'node' | 'reseller'>,
  options: OpenStoreOptions = {},
): Promise<OpenedStore> {
  const clock = options.clock ?? Date.now;
  const maxCancels = config.reseller?.maxCancels ?? 4;
  const url = config.storage.postgres;
  if (url === undefined) {
    // Commits are synced on the thread pool, not inside COMMIT on the event loop (wal-sync.ts).
    const db = openDatabase(config.storage.sqlite, { syncOffMainThread: true });
    const migrated = runMigrations(db, MIGRATIONS);
    const repository = new SqliteRepository(db, { clock });
    return {
      kind: 'sqlite',
      repository,
      reseller: new SqliteResellerStore(db, { maxCancels }),
      sims: new SqliteSimNumberStore(db),
      farm: null,
      smsCounts: sqliteSmsCounts(db),
      location: config.storage.sqlite,
      migrated,
      close: async () => {
        await repository.close();
        await walSyncerOf(db)?.close();
      },
    };
  }
  // Loaded only for a PostgreSQL config: the driver and its type parsers cost the bridge ~6 MB
  // resident (measured import cost) that a one-host SQLite bridge never needs.
  const { openPostgresStore } = await import('./open-postgres-store.js');
  return openPostgresStore(url, config, { ...options, clock });
}
