import pg from 'pg';
import { MIGRATIONS } from '../migrations/index.js';
import { redactUrl } from './pg-connection.js';

/** What `simbridge doctor` learns from one connection attempt to the configured PostgreSQL. */
export type PostgresProbe =
  | {
      kind: 'ok';
      serverVersion: string;
      /** Schema version of the store (0: never migrated; `simbridge run` migrates it). */
      schemaVersion: number;
      latestVersion: number;
      /** The user may create tables (needed while migrations are due). */
      canCreate: boolean;
    }
  | { kind: 'error'; code: string; message: string };

/**
 * Connects once (no pool), reads the server version and the store's schema version, and
 * disconnects. The error message never carries the password: pg does not include the URL, and
 * any echo of it is replaced.
 */
export async function probePostgres(url: string, timeoutMs: number): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const version = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    const table = await client.query<{ t: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS t",
    );
    let schemaVersion = 0;
    if (table.rows[0]?.t) {
      const row = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
      schemaVersion = Number(row.rows[0]?.v ?? 0);
    }
    const create = await client.query<{ ok: boolean }>(
      "SELECT has_schema_privilege(current_user, 'public', 'CREATE') AS ok",
    );
    return {
      kind: 'ok',
      // '15.18 (Debian 15.18-0+deb12u1)': the version is the first word.
      serverVersion: version.rows[0]?.v.split(' ')[0] ?? 'unknown',
      schemaVersion,
      latestVersion: MIGRATIONS.at(-1)?.version ?? 0,
      canCreate: create.rows[0]?.ok === true,
    };
  } catch (err) {
    const e = err as Error & { code?: string };
    const password = passwordOf(url);
    const message = password === '' ? e.message : e.message.split(password).join('***');
    return { kind: 'error', code: e.code ?? e.name, message: message.split(url).join(redactUrl(url)) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
