import type pg from 'pg';
import {
  type DiscoveredSimRow,
  fromDbRow,
  type SimNumberDbRow,
  type SimNumberStore,
  UPSERT_COLUMNS,
  UPSERT_CONFLICT,
} from '../sim-number-store.js';
import { storeError, withConnection } from './pg-connection.js';

/** `SimNumberStore` on PostgreSQL: the farm's hosts share the numbers and confirmations. */
export class PgSimNumberStore implements SimNumberStore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async listDiscovered(): Promise<DiscoveredSimRow[]> {
    try {
      return await withConnection(this.#pool, async (sql) =>
        (await sql.rows<SimNumberDbRow>('SELECT * FROM sim_numbers ORDER BY iccid')).map(fromDbRow),
      );
    } catch (err) {
      throw storeError(err, 'listing SIM numbers failed');
    }
  }

  async saveDiscovered(sim: Omit<DiscoveredSimRow, 'confirmedAtMs'>): Promise<DiscoveredSimRow> {
    try {
      return await withConnection(this.#pool, async (sql) => {
        const row = await sql.row<SimNumberDbRow>(
          `INSERT INTO sim_numbers ${UPSERT_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6, NULL) ${UPSERT_CONFLICT}
           RETURNING *`,
          [sim.iccid, sim.imsi, sim.phone, sim.source, sim.operator, sim.discoveredAtMs],
        );
        if (row === undefined) throw new Error('the upsert returned no row');
        return fromDbRow(row);
      });
    } catch (err) {
      throw storeError(err, 'saving a SIM number failed');
    }
  }

  async confirm(iccid: string, atMs: number): Promise<boolean> {
    try {
      return await withConnection(this.#pool, async (sql) => {
        const changed = await sql.run(
          'UPDATE sim_numbers SET confirmed_at_ms = COALESCE(confirmed_at_ms, $1) WHERE iccid = $2',
          [atMs, iccid],
        );
        return changed > 0;
      });
    } catch (err) {
      throw storeError(err, 'confirming a SIM number failed');
    }
  }
}
