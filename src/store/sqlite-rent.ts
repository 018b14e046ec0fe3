import type { Database, Statement } from 'better-sqlite3';
import type { RentEndReason, RentListFilter, RentTerms, RentTotals, RentView } from './rent-store.js';
import { RENT_SERVICE } from './rent-store.js';

/**
 * The rent rows (migration 005) of `SqliteResellerStore`: synchronous, run inside its write
 * batches (claims, finishes, expiry) or as plain reads.
 */
export class SqliteRentRows {
  readonly #stmts: ReturnType<typeof prepare>;

  constructor(db: Database) {
    this.#stmts = prepare(db);
  }

  /** The rent row of an operation GET_NUMBER (rent) just opened. */
  open(operationId: number, terms: RentTerms): void {
    this.#stmts.insert.run(operationId, terms.days, terms.expiresAtMs);
  }

  /** FINISH on a rent: its sum; the end time and reason only if it had not ended yet. */
  finish(operationId: number, sum: number | null, nowMs: number): void {
    this.#stmts.finish.run(sum, nowMs, operationId);
  }

  expire(nowMs: number, graceMs: number): number[] {
    const ids = this.#stmts.due.all(nowMs - graceMs) as number[];
    for (const id of ids) {
      this.#stmts.closeOperation.run(nowMs, id);
      this.#stmts.markExpired.run(nowMs, id);
    }
    return ids;
  }

  list(filter: RentListFilter): RentView[] {
    const limit = filter.limit ?? 100;
    if (filter.operationIds !== undefined) {
      if (filter.operationIds.length === 0) return [];
      return (this.#stmts.byIds.all(JSON.stringify(filter.operationIds)) as RentRow[]).map(toRentView);
    }
    const stmt = filter.activeOnly ? this.#stmts.listActive : this.#stmts.listAll;
    return (stmt.all(limit) as RentRow[]).map(toRentView);
  }

  totals(): RentTotals {
    const open = this.#stmts.open.get() as number;
    const earned = this.#stmts.earned.all() as Array<{ kind: 'rent' | 'activation'; earned: number }>;
    const earnedByKind = { activation: 0, rent: 0 };
    for (const row of earned) earnedByKind[row.kind] = row.earned;
    return { open, earnedByKind };
  }
}

export interface RentRow {
  operation_id: number;
  phone: string;
  status: 'active' | 'finished';
  days: number;
  created_at_ms: number;
  expires_at_ms: number;
  sms_count: number;
  sum: number | null;
  finish_status: number | null;
  ended_at_ms: number | null;
  finished_at_ms: number | null;
  end_reason: RentEndReason | null;
}

export function toRentView(row: RentRow): RentView {
  return {
    operationId: Number(row.operation_id),
    phone: row.phone,
    status: row.status,
    days: Number(row.days),
    rentedAtMs: Number(row.created_at_ms),
    expiresAtMs: Number(row.expires_at_ms),
    smsCount: Number(row.sms_count),
    sum: row.sum ?? null,
    finishStatus: row.finish_status ?? null,
    // Ended by the admin API: the operation's end time, no reason.
    endedAtMs: row.ended_at_ms ?? row.finished_at_ms ?? null,
    endReason: row.end_reason ?? null,
  };
}

/** The columns of a `RentView`, both dialects. */
export const RENT_VIEW_SQL = `SELECT r.operation_id, o.phone, o.status, r.days, o.created_at_ms, r.expires_at_ms,
  r.sms_count, o.sum, o.finish_status, r.ended_at_ms, o.finished_at_ms, r.end_reason
  FROM rent_operations r JOIN operations o ON o.id = r.operation_id`;

function prepare(db: Database) {
  const s = (sql: string): Statement => db.prepare(sql);
  return {
    insert: s('INSERT INTO rent_operations (operation_id, days, expires_at_ms) VALUES (?, ?, ?)'),
    finish: s(`UPDATE rent_operations SET finish_sum = ?, ended_at_ms = COALESCE(ended_at_ms, ?),
      end_reason = COALESCE(end_reason, 'finish') WHERE operation_id = ?`),
    due: s(`SELECT r.operation_id FROM rent_operations r JOIN operations o ON o.id = r.operation_id
      WHERE o.status = 'active' AND r.expires_at_ms <= ? ORDER BY r.operation_id`).pluck(),
    closeOperation: s(
      `UPDATE operations SET status = 'finished', finished_at_ms = ? WHERE id = ? AND status = 'active'`,
    ),
    markExpired: s(
      `UPDATE rent_operations SET ended_at_ms = ?, end_reason = 'expired' WHERE operation_id = ? AND ended_at_ms IS NULL`,
    ),
    byIds: s(
      `${RENT_VIEW_SQL} WHERE r.operation_id IN (SELECT value FROM json_each(?)) ORDER BY r.operation_id DESC`,
    ),
    listActive: s(`${RENT_VIEW_SQL} WHERE o.status = 'active' ORDER BY r.operation_id DESC LIMIT ?`),
    listAll: s(`${RENT_VIEW_SQL} ORDER BY r.operation_id DESC LIMIT ?`),
    open: s(
      `SELECT COUNT(*) FROM operations WHERE service = '${RENT_SERVICE}' AND status = 'active'`,
    ).pluck(),
    earned: s(`SELECT CASE WHEN service = '${RENT_SERVICE}' THEN 'rent' ELSE 'activation' END AS kind,
      COALESCE(SUM(sum), 0) AS earned FROM operations WHERE finish_status = 3 GROUP BY kind`),
  };
}
