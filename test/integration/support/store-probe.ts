import Database from 'better-sqlite3';

/**
 * A read-only look into the bridge's SQLite file from the test process (WAL lets a reader in
 * while the bridge writes). Used at the instant the emulated modem executes `AT+CMGD`, to prove
 * the message was committed before its SIM copy was deleted.
 */
export class StoreProbe {
  readonly #path: string;
  #db: Database.Database | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  /** True when a message with this raw PDU from this SIM is committed. */
  hasMessage(simKey: string, pdu: string): boolean {
    const db = this.#open();
    const row = db
      .prepare('SELECT 1 AS found FROM messages WHERE sim_key = ? AND upper(raw_pdu) = upper(?) LIMIT 1')
      .get(simKey, pdu) as { found: number } | undefined;
    return row !== undefined;
  }

  /** Rows in `messages` with this raw PDU (any SIM): a re-read must not add one. */
  countByPdu(pdu: string): number {
    const row = this.#open()
      .prepare('SELECT count(*) AS n FROM messages WHERE upper(raw_pdu) = upper(?)')
      .get(pdu) as { n: number };
    return row.n;
  }

  /** A named counter (`duplicate_reads`, `duplicate_window`), 0 when never incremented. */
  counter(name: string): number {
    const row = this.#open().prepare('SELECT value FROM counters WHERE name = ?').get(name) as
      | { value: number }
      | undefined;
    return row?.value ?? 0;
  }

  close(): void {
    this.#db?.close();
    this.#db = null;
  }

  #open(): Database.Database {
    this.#db ??= new Database(this.#path, { readonly: true, fileMustExist: true });
    return this.#db;
  }
}
