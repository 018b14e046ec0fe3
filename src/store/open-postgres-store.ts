import type { Config } from '../config/index.js';
import { silentLogger } from '../log.js';
import { MIGRATIONS } from './migrations/index.js';
import type { OpenedStore, OpenStoreOptions } from './open-store.js';
import { PgChangeFeed } from './postgres/pg-change-feed.js';
import { createPool, isConnectionFailure, redactUrl } from './postgres/pg-connection.js';
import { PgFarm } from './postgres/pg-farm.js';
import { runPgMigrations } from './postgres/pg-migrate.js';
import { PgRepository } from './postgres/pg-repository.js';
import { PgResellerStore } from './postgres/pg-reseller-store.js';
import { PgSimNumberStore } from './postgres/pg-sim-numbers.js';
import { pgSmsCounts } from './postgres/pg-sms-counts.js';

/**
 * Opens and migrates the shared PostgreSQL store of a farm (`storage.postgres`). Kept apart from
 * open-store.ts so that `pg` is imported only by the configs that use it.
 */
export async function openPostgresStore(
  url: string,
  config: Pick<Config, 'node' | 'reseller'>,
  options: OpenStoreOptions & { clock: () => number },
): Promise<OpenedStore> {
  const clock = options.clock;
  const maxCancels = config.reseller?.maxCancels ?? 4;
  const applicationName = `simbridge ${config.node.name}`;
  const pool = createPool(url, { applicationName });
  let migrated: number[];
  let retryMs = options.retryMs ?? 1_000;
  for (;;) {
    try {
      migrated = await runPgMigrations(pool, MIGRATIONS);
      break;
    } catch (err) {
      if (options.onUnreachable === undefined || !isConnectionFailure(err)) {
        await pool.end().catch(() => undefined);
        throw err;
      }
      // Nothing is read from the modems yet: every SMS waits on its SIM meanwhile.
      options.onUnreachable(err as Error, retryMs);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(10_000, retryMs * 2);
    }
  }
  const node = { node: config.node.name, staleAfterMs: config.node.staleAfterMs };
  const repository = new PgRepository(pool, { ...node, clock });
  // The farm tables are read once per change, announced by the host that wrote them.
  const feed = new PgChangeFeed({ url, applicationName, log: options.log ?? silentLogger() });
  await feed.start();
  return {
    kind: 'postgres',
    repository,
    reseller: new PgResellerStore(pool, { maxCancels }),
    sims: new PgSimNumberStore(pool, feed),
    farm: new PgFarm(pool, node, feed),
    smsCounts: pgSmsCounts(pool),
    location: redactUrl(url),
    migrated,
    close: async () => {
      await feed.close();
      await repository.close();
    },
  };
}
