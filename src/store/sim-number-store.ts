/**
 * Durable record of the numbers SIMs reported themselves (migration 006), for src/sims. Both
 * backends implement it: `SqliteSimNumberStore` and `PgSimNumberStore`.
 */

/** Where a SIM's number came from, when not from the config. */
export type DiscoveredSource = 'cnum' | 'ussd';

export interface DiscoveredSimRow {
  /** Normalised ICCID (upper case, no trailing F). */
  iccid: string;
  imsi: string | null;
  /** E.164 digits, no `+`. */
  phone: string;
  source: DiscoveredSource;
  /** The `operators:` key the SIM matched, or null. */
  operator: string | null;
  discoveredAtMs: number;
  /** When the operator confirmed the number; null while unconfirmed. */
  confirmedAtMs: number | null;
}

export interface SimNumberStore {
  listDiscovered(): Promise<DiscoveredSimRow[]>;
  /**
   * Records a number found for `iccid`. The same number again keeps its confirmation; a
   * different one replaces the row unconfirmed. Returns the row as stored.
   */
  saveDiscovered(sim: Omit<DiscoveredSimRow, 'confirmedAtMs'>): Promise<DiscoveredSimRow>;
  /** Confirms the discovered number of `iccid`; false when no number was discovered for it. */
  confirm(iccid: string, atMs: number): Promise<boolean>;
}

/** Row as both backends read it (snake case, BIGINT as number). */
export interface SimNumberDbRow {
  iccid: string;
  imsi: string | null;
  phone: string;
  source: DiscoveredSource;
  operator: string | null;
  discovered_at_ms: number;
  confirmed_at_ms: number | null;
}

export function fromDbRow(row: SimNumberDbRow): DiscoveredSimRow {
  return {
    iccid: row.iccid,
    imsi: row.imsi,
    phone: row.phone,
    source: row.source,
    operator: row.operator,
    discoveredAtMs: Number(row.discovered_at_ms),
    confirmedAtMs: row.confirmed_at_ms === null ? null : Number(row.confirmed_at_ms),
  };
}

/** Upsert shared by both dialects (`?` or `$n` placeholders are the caller's). */
export const UPSERT_COLUMNS = '(iccid, imsi, phone, source, operator, discovered_at_ms, confirmed_at_ms)';
/** Same phone: keep the confirmation and the first discovery time; another phone: start over. */
export const UPSERT_CONFLICT = `ON CONFLICT (iccid) DO UPDATE SET
  imsi = excluded.imsi,
  source = excluded.source,
  operator = excluded.operator,
  confirmed_at_ms = CASE WHEN sim_numbers.phone = excluded.phone THEN sim_numbers.confirmed_at_ms ELSE NULL END,
  discovered_at_ms = CASE WHEN sim_numbers.phone = excluded.phone THEN sim_numbers.discovered_at_ms ELSE excluded.discovered_at_ms END,
  phone = excluded.phone`;
