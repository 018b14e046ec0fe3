import type pg from 'pg';
import { GatewayError } from '../../errors.js';
import type { DualMigration } from '../migrations/index.js';
import { storeError } from './pg-connection.js';

/** Advisory lock key held while migrating, so hosts starting together migrate one at a time. */
const MIGRATION_LOCK = [7, 0] as const;

/**
 * Brings a PostgreSQL store up to the last of `migrations` (their `postgres` SQL). Each step runs
 * in its own transaction with its row in `schema_migrations`, so a crash leaves a whole version;
 * a session advisory lock makes hosts that start at the same time wait for each other. Returns
 * the versions applied by this call.
 */
export async function runPgMigrations(
  pool: pg.Pool,
  migrations: readonly DualMigration[],
): Promise<number[]> {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new GatewayError(
        'STORE_MIGRATIONS_INVALID',
        `migration list must be numbered 1..n without gaps; position ${index + 1} has version ${migration.version}`,
        { context: { name: migration.name } },
      );
    }
  });
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw storeError(err, 'connect failed');
  }
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const current = Number(
      (await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')).rows[0]
        ?.v ?? 0,
    );
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new GatewayError(
        'STORE_SCHEMA_TOO_NEW',
        `database schema ${current} is newer than this build (${latest})`,
        { context: { current, latest } },
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      try {
        await client.query('BEGIN');
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new GatewayError(
          'STORE_MIGRATION_FAILED',
          `migration ${migration.version} (${migration.name}) failed`,
          { cause: err, context: { version: migration.version, name: migration.name } },
        );
      }
      applied.push(migration.version);
    }
    return applied;
  } catch (err) {
    throw storeError(err, 'migration failed');
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/** The schema version of a PostgreSQL store (0 when never migrated). */
export async function pgSchemaVersion(pool: pg.Pool): Promise<number> {
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations') AS t");
  if (exists.rows[0]?.t === null || exists.rows[0]?.t === undefined) return 0;
  const row = (await pool.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations'))
    .rows[0];
  return Number(row?.v ?? 0);
}
