import type pg from 'pg';
import {
  type DiscoveredSimRow,
  fromDbRow,
  type SimNumberDbRow,
  type SimNumberStore,
  UPSERT_COLUMNS,
  UPSERT_CONFLICT,
} from '../sim-number-store.js';
import { notifyChange, type PgChangeFeed, ReadCache } from './pg-change-feed.js';
import { inTransaction, storeError, withConnection } from './pg-connection.js';

/**
 * `SimNumberStore` on PostgreSQL: the farm's hosts share the numbers and confirmations. Every
 * host re-reads the list with each heartbeat (src/sims); with a change feed the list is read
 * once and kept until a host writes it, which is rare (a number found, a confirmation).
 */
export class PgSimNumberStore implements SimNumberStore {
  readonly #pool: pg.Pool;
  readonly #feed: PgChangeFeed | null;
  readonly #cache: ReadCache<readonly DiscoveredSimRow[]>;

  constructor(pool: pg.Pool, feed: PgChangeFeed | null = null) {
    this.#pool = pool;
    this.#feed = feed;
    this.#cache = new ReadCache(feed, 'sim_numbers');
  }

  async listDiscovered(): Promise<DiscoveredSimRow[]> {
    try {
      // A copy: the kept list is shared by every caller.
      return [...(await this.#cache.get(() => this.#read()))];
    } catch (err) {
      throw storeError(err, 'listing SIM numbers failed');
    }
  }

  #read(): Promise<DiscoveredSimRow[]> {
    return withConnection(this.#pool, async (sql) =>
      (await sql.rows<SimNumberDbRow>('SELECT * FROM sim_numbers ORDER BY iccid')).map(fromDbRow),
    );
  }

  async saveDiscovered(sim: Omit<DiscoveredSimRow, 'confirmedAtMs'>): Promise<DiscoveredSimRow> {
    try {
      return await inTransaction(this.#pool, async (sql) => {
        const row = await sql.row<SimNumberDbRow>(
          `INSERT INTO sim_numbers ${UPSERT_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6, NULL) ${UPSERT_CONFLICT}
           RETURNING *`,
          [sim.iccid, sim.imsi, sim.phone, sim.source, sim.operator, sim.discoveredAtMs],
        );
        if (row === undefined) throw new Error('the upsert returned no row');
        await notifyChange(sql, 'sim_numbers', this.#feed);
        return fromDbRow(row);
      });
    } catch (err) {
      throw storeError(err, 'saving a SIM number failed');
    } finally {
      this.#cache.invalidate();
    }
  }

  async confirm(iccid: string, atMs: number): Promise<boolean> {
    try {
      return await inTransaction(this.#pool, async (sql) => {
        const changed = await sql.run(
          'UPDATE sim_numbers SET confirmed_at_ms = COALESCE(confirmed_at_ms, $1) WHERE iccid = $2',
          [atMs, iccid],
        );
        if (changed > 0) await notifyChange(sql, 'sim_numbers', this.#feed);
        return changed > 0;
      });
    } catch (err) {
      throw storeError(err, 'confirming a SIM number failed');
    } finally {
      this.#cache.invalidate();
    }
  }
}
