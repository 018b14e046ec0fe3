import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../log.js';
import type { Sql } from './pg-connection.js';

/**
 * Which farm tables a host has just written, told to every host of the farm through PostgreSQL's
 * LISTEN/NOTIFY, so each can keep what it read until it changes instead of reading it again on
 * every heartbeat and every request.
 *
 * One dedicated connection per process listens (not a pooled one: it is held for good). While it
 * is not listening (not connected yet, lost, being re-established) {@link ReadCache} reads
 * through every time, as without a cache; on every (re)connection everything counts as changed,
 * since notifications sent meanwhile are lost.
 */

/** The NOTIFY channel. Payload: `<table> <origin>`, or `sync <origin> <n>` (see `sync()`). */
export const CHANGE_CHANNEL = 'simbridge_changes';
export type ChangedTable = 'sim_numbers' | 'live_sims';
const TABLES: readonly string[] = ['sim_numbers', 'live_sims'] satisfies ChangedTable[];

/**
 * Tells every host that `table` changed; delivered at COMMIT, so run it in the writing
 * transaction. `feed` is the writer's own: its listener skips the echo (the writer has already
 * dropped what it kept).
 */
export async function notifyChange(sql: Sql, table: ChangedTable, feed: PgChangeFeed | null): Promise<void> {
  await sql.run('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, `${table} ${feed?.origin ?? '-'}`]);
}

export interface PgChangeFeedOptions {
  url: string;
  applicationName: string;
  log: Logger;
  /** First wait before reconnecting a lost listener; doubles up to 30 s. Default 1 s. */
  retryMs?: number;
}

export class PgChangeFeed {
  /** This process's mark on the changes it announces. */
  readonly origin = randomUUID();
  readonly #options: PgChangeFeedOptions;
  readonly #listeners = new Set<(table: ChangedTable | null) => void>();
  readonly #syncs = new Map<string, () => void>();
  #syncCount = 0;
  #client: pg.Client | null = null;
  #listening = false;
  #closed = false;
  #retryMs: number;
  #retryTimer: NodeJS.Timeout | null = null;

  constructor(options: PgChangeFeedOptions) {
    this.#options = options;
    this.#retryMs = options.retryMs ?? 1_000;
  }

  /** True while notifications arrive: a cached read may be trusted. */
  get listening(): boolean {
    return this.#listening;
  }

  /** `onChange(table)` on another process's write; `onChange(null)` when some may have been lost. */
  subscribe(onChange: (table: ChangedTable | null) => void): () => void {
    this.#listeners.add(onChange);
    return () => this.#listeners.delete(onChange);
  }

  /** Connects and listens; resolves after the first attempt, never rejects (a failure retries). */
  async start(): Promise<void> {
    if (this.#closed || this.#client !== null) return;
    const client = new pg.Client({
      connectionString: this.#options.url,
      application_name: `${this.#options.applicationName} (changes)`,
      // A half-open connection must not leave the caches trusted for long.
      keepAlive: true,
    });
    this.#client = client;
    client.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL) this.#received(message.payload ?? '');
    });
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (this.#closed || this.#client !== client) return;
      this.#retryMs = this.#options.retryMs ?? 1_000;
      // Whatever was read before this connection may have changed unannounced.
      this.#emit(null);
      this.#listening = true;
    } catch (err) {
      this.#lost(client, err);
    }
  }

  /**
   * Resolves once every change committed before the call has been seen (notifications come in
   * commit order), or at once when not listening. For tests and orderly hand-overs.
   */
  async sync(): Promise<void> {
    const client = this.#client;
    if (!this.#listening || client === null) return;
    this.#syncCount += 1;
    const token = `sync ${this.origin} ${this.#syncCount}`;
    const seen = new Promise<void>((resolve) => this.#syncs.set(token, resolve));
    try {
      await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, token]);
    } catch {
      this.#syncs.get(token)?.();
    }
    await seen;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listening = false;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const client = this.#client;
    this.#client = null;
    this.#releaseSyncs();
    await client?.end().catch(() => undefined);
  }

  #received(payload: string): void {
    const sync = this.#syncs.get(payload);
    if (sync) {
      this.#syncs.delete(payload);
      sync();
      return;
    }
    const [table, origin] = payload.split(' ');
    // Our own write: its writer dropped what it kept already.
    if (origin === this.origin || table === undefined || !TABLES.includes(table)) return;
    this.#emit(table as ChangedTable);
  }

  #lost(client: pg.Client, err: unknown): void {
    if (this.#client !== client) return;
    this.#client = null;
    this.#listening = false;
    this.#emit(null);
    this.#releaseSyncs();
    client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#options.log.warn(
      { err, retryMs: this.#retryMs },
      'store change notifications lost; reading the farm tables on every use until they are back',
    );
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.start();
    }, this.#retryMs);
    this.#retryTimer.unref();
    this.#retryMs = Math.min(30_000, this.#retryMs * 2);
  }

  #releaseSyncs(): void {
    for (const resolve of this.#syncs.values()) resolve();
    this.#syncs.clear();
  }

  #emit(table: ChangedTable | null): void {
    for (const listener of this.#listeners) listener(table);
  }
}

/**
 * One table's last read, kept while the change feed listens and nobody wrote the table: a write
 * (another host's, announced; or this host's own), a lost feed or `maxAgeMs` drop it. A read
 * that was running when the table changed is returned to its callers but not kept: it may
 * predate the change.
 */
export class ReadCache<T> {
  readonly #feed: PgChangeFeed | null;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  #value: { data: T; atMs: number } | null = null;
  #running: Promise<T> | null = null;
  #generation = 0;

  constructor(
    feed: PgChangeFeed | null,
    table: ChangedTable,
    options: { maxAgeMs?: number; now?: () => number } = {},
  ) {
    this.#feed = feed;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    feed?.subscribe((changed) => {
      if (changed === null || changed === table) this.invalidate();
    });
  }

  /** The kept value, else one read shared by the callers that arrive while it runs. */
  get(read: () => Promise<T>): Promise<T> {
    const kept = this.#value;
    if (kept !== null && this.#feed?.listening && this.#now() - kept.atMs < this.#maxAgeMs) {
      return Promise.resolve(kept.data);
    }
    if (this.#running !== null) return this.#running;
    const generation = this.#generation;
    const running = read().then((data) => {
      if (generation === this.#generation && this.#feed?.listening) this.#value = { data, atMs: this.#now() };
      return data;
    });
    this.#running = running;
    const clear = () => {
      if (this.#running === running) this.#running = null;
    };
    running.then(clear, clear);
    return running;
  }

  /** Drops the kept value (a write of this host, or one announced by the feed). */
  invalidate(): void {
    this.#generation += 1;
    this.#value = null;
    // A read started before the change may miss it: the next caller starts a new one.
    this.#running = null;
  }
}
