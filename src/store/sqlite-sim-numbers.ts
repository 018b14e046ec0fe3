import { GatewayError } from '../errors.js';
import type { SqliteDatabase } from './database.js';
import {
  type DiscoveredSimRow,
  fromDbRow,
  type SimNumberDbRow,
  type SimNumberStore,
  UPSERT_COLUMNS,
  UPSERT_CONFLICT,
} from './sim-number-store.js';

/** `SimNumberStore` on SQLite: one small synchronous statement per call (a few per SIM a day). */
export class SqliteSimNumberStore implements SimNumberStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async listDiscovered(): Promise<DiscoveredSimRow[]> {
    return this.#guard('list', () =>
      (this.#db.prepare('SELECT * FROM sim_numbers ORDER BY iccid').all() as SimNumberDbRow[]).map(fromDbRow),
    );
  }

  async saveDiscovered(sim: Omit<DiscoveredSimRow, 'confirmedAtMs'>): Promise<DiscoveredSimRow> {
    return this.#guard('save', () => {
      this.#db
        .prepare(
          `INSERT INTO sim_numbers ${UPSERT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, NULL) ${UPSERT_CONFLICT}`,
        )
        .run(sim.iccid, sim.imsi, sim.phone, sim.source, sim.operator, sim.discoveredAtMs);
      const row = this.#db
        .prepare('SELECT * FROM sim_numbers WHERE iccid = ?')
        .get(sim.iccid) as SimNumberDbRow;
      return fromDbRow(row);
    });
  }

  async confirm(iccid: string, atMs: number): Promise<boolean> {
    return this.#guard('confirm', () => {
      const result = this.#db
        .prepare('UPDATE sim_numbers SET confirmed_at_ms = COALESCE(confirmed_at_ms, ?) WHERE iccid = ?')
        .run(atMs, iccid);
      return result.changes > 0;
    });
  }

  #guard<T>(operation: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw new GatewayError('STORE_SIM_NUMBERS_FAILED', `SIM number store ${operation} failed`, {
        cause: err,
        context: { operation },
      });
    }
  }
}
