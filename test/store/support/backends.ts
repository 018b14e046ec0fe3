import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '../../../src/store/open-store.js';
import type { BridgeRepository } from '../../../src/store/repository.js';
import type { ResellerStore } from '../../../src/store/reseller-store.js';
import type { SimNumberStore } from '../../../src/store/sim-number-store.js';
import { PG_BIN_DIR, PgCluster } from './pg-cluster.js';

/**
 * The two store backends, opened the way the bridge opens them (`openStore`), so one contract
 * test file runs against both. PostgreSQL: one throw-away cluster per test file, a fresh
 * database per store; skipped with one line where the server is not installed.
 */

export interface StoreHandle {
  repo: BridgeRepository;
  reseller: ResellerStore;
  sims: SimNumberStore;
  close(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  available: boolean;
  /** A fresh, migrated, empty store. */
  open(clock: () => number): Promise<StoreHandle>;
}

let cluster: Promise<PgCluster> | null = null;
const cleanups: Array<() => Promise<void> | void> = [];

/** The file's cluster, started on first use and destroyed after the file's tests. */
export function sharedCluster(): Promise<PgCluster> {
  if (cluster === null) {
    cluster = PgCluster.start();
    cleanups.push(async () => (await cluster)?.destroy());
  }
  return cluster;
}

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  cluster = null;
});

const NODE = { name: 'host-a', staleAfterMs: 30_000, heartbeatIntervalMs: 5_000 };

export const SQLITE: Backend = {
  name: 'sqlite',
  available: true,
  async open(clock) {
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-contract-'));
    const store = await openStore({ storage: { sqlite: join(dir, 'store.db') }, node: NODE }, { clock });
    return {
      repo: store.repository,
      reseller: store.reseller,
      sims: store.sims,
      async close() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const POSTGRES: Backend = {
  name: 'postgres',
  available: PG_BIN_DIR !== null,
  async open(clock) {
    const url = await (await sharedCluster()).createDatabase();
    const store = await openStore({ storage: { sqlite: '', postgres: url }, node: NODE }, { clock });
    return { repo: store.repository, reseller: store.reseller, sims: store.sims, close: () => store.close() };
  },
};

export const BACKENDS: readonly Backend[] = [SQLITE, POSTGRES];
