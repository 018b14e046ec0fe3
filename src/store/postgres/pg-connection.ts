import pg from 'pg';
import { GatewayError, isGatewayError } from '../../errors.js';

/*
 * One pool per process. Every unit of work is a function of a `Sql` handle; `inTransaction` runs
 * it between BEGIN and COMMIT on one pooled connection, and resolves only after COMMIT returned:
 * a caller that sees it resolve knows its rows are durable on the server.
 */

/** What store code runs SQL through: one connection, inside one transaction. */
export interface Sql {
  rows<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  row<T>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Rows changed by a write. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Epoch ms and ids are BIGINT, which node-postgres returns as strings by default: read them as
 * numbers (every value simbridge stores is far below 2^53). Set on this pool's clients only, not
 * on the driver globally.
 */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PgPoolOptions {
  /** Most connections this process opens. Default 16 (push slots, modems' ingests, heartbeat). */
  max?: number;
  /** How long a new connection may take before the attempt fails. Default 5 s. */
  connectTimeoutMs?: number;
  /** Server-side limit per statement, so a stuck query cannot hold a lease forever. Default 30 s. */
  statementTimeoutMs?: number;
  applicationName?: string;
}

/** A pool for `url`. Errors of idle connections (server restarted) are absorbed: the next query reconnects. */
export function createPool(url: string, options: PgPoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 16,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'simbridge',
    types: TYPES,
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would kill
  // the process. The pool drops that client and the next checkout opens a new connection.
  pool.on('error', () => undefined);
  // A connection that breaks while checked out also emits 'error' on its client; the query in
  // progress (or the next one) rejects with it, which is where it is handled.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** `url` with its password replaced, for logs, errors and the doctor's output. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

function wrap(client: pg.PoolClient): Sql {
  return {
    async rows<T>(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, params as unknown[])).rows as T[];
    },
    async row<T>(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, params as unknown[])).rows[0] as T | undefined;
    },
    async run(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, params as unknown[])).rowCount ?? 0;
    },
  };
}

/** SQLSTATEs worth running the whole transaction again for: serialization failure, deadlock. */
const RETRYABLE_STATES = new Set(['40001', '40P01']);

/**
 * Runs `work` in one transaction; retries it (up to 3 times) when the server aborted it for a
 * serialization failure or a deadlock. A unique violation is the caller's to handle.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw storeError(err, 'connect failed');
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      const value = await work(wrap(client));
      await client.query('COMMIT');
      return value;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      const state = sqlState(err);
      if (state !== null && RETRYABLE_STATES.has(state) && attempt < 3) continue;
      throw storeError(err, 'transaction failed');
    } finally {
      client.release(broken ? true : undefined);
    }
  }
}

/** Runs `work` outside a transaction (reads; each statement its own snapshot). */
export async function withConnection<T>(pool: pg.Pool, work: (sql: Sql) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw storeError(err, 'connect failed');
  }
  try {
    return await work(wrap(client));
  } catch (err) {
    throw storeError(err, 'read failed');
  } finally {
    client.release();
  }
}

export function sqlState(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const code: unknown = Reflect.get(err, 'code');
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/**
 * True when the server could not be reached or the connection broke (as opposed to a rejected
 * statement): worth waiting for, since nothing was committed and the server may come back.
 */
export function isConnectionFailure(err: unknown): boolean {
  const cause = err instanceof GatewayError && err.cause !== undefined ? err.cause : err;
  const state = sqlState(cause);
  // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
  if (state !== null) return state.startsWith('08') || /^57P0[123]$/.test(state);
  if (!(cause instanceof Error)) return false;
  const code: unknown = Reflect.get(cause, 'code');
  if (
    typeof code === 'string' &&
    /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH)$/.test(code)
  )
    return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    cause.message,
  );
}

/** Keeps product errors; wraps driver errors as `STORE_UNAVAILABLE` (unreachable) or `STORE_FAILED`. */
export function storeError(err: unknown, what: string): Error {
  if (isGatewayError(err)) return err;
  const unreachable = isConnectionFailure(err);
  return new GatewayError(
    unreachable ? 'STORE_UNAVAILABLE' : 'STORE_FAILED',
    unreachable ? `PostgreSQL unreachable: ${what}` : `store ${what}`,
    { cause: err },
  );
}
