import type { RentListFilter, RentTerms, RentTotals, RentView } from '../rent-store.js';
import { RENT_SERVICE } from '../rent-store.js';
import { RENT_VIEW_SQL, type RentRow, toRentView } from '../sqlite-rent.js';
import type { Sql } from './pg-connection.js';

/**
 * The rent rows (migration 005) of `PgResellerStore`, same rules as `SqliteRentRows`; each runs
 * on the caller's connection, inside its transaction for the writes.
 */

export async function openRent(sql: Sql, operationId: number, terms: RentTerms): Promise<void> {
  await sql.run('INSERT INTO rent_operations (operation_id, days, expires_at_ms) VALUES ($1, $2, $3)', [
    operationId,
    terms.days,
    terms.expiresAtMs,
  ]);
}

export async function finishRent(
  sql: Sql,
  operationId: number,
  sum: number | null,
  nowMs: number,
): Promise<void> {
  await sql.run(
    `UPDATE rent_operations SET finish_sum = $1, ended_at_ms = COALESCE(ended_at_ms, $2),
       end_reason = COALESCE(end_reason, 'finish') WHERE operation_id = $3`,
    [sum, nowMs, operationId],
  );
}

/** Ends the rents past their end and grace; the caller holds the operations lock. */
export async function expireRents(sql: Sql, nowMs: number, graceMs: number): Promise<number[]> {
  const rows = await sql.rows<{ id: string | number }>(
    `WITH due AS (
       SELECT r.operation_id FROM rent_operations r JOIN operations o ON o.id = r.operation_id
       WHERE o.status = 'active' AND r.expires_at_ms <= $2 FOR UPDATE OF o),
     closed AS (
       UPDATE operations SET status = 'finished', finished_at_ms = $1
       WHERE id IN (SELECT operation_id FROM due) RETURNING id)
     UPDATE rent_operations SET ended_at_ms = $1, end_reason = 'expired'
     WHERE operation_id IN (SELECT id FROM closed) AND ended_at_ms IS NULL RETURNING operation_id AS id`,
    [nowMs, nowMs - graceMs],
  );
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

export async function listRents(sql: Sql, filter: RentListFilter): Promise<RentView[]> {
  if (filter.operationIds !== undefined) {
    if (filter.operationIds.length === 0) return [];
    const rows = await sql.rows<RentRow>(
      `${RENT_VIEW_SQL} WHERE r.operation_id = ANY($1::bigint[]) ORDER BY r.operation_id DESC`,
      [[...filter.operationIds]],
    );
    return rows.map(toRentView);
  }
  const where = filter.activeOnly ? "WHERE o.status = 'active'" : '';
  const rows = await sql.rows<RentRow>(`${RENT_VIEW_SQL} ${where} ORDER BY r.operation_id DESC LIMIT $1`, [
    filter.limit ?? 100,
  ]);
  return rows.map(toRentView);
}

/** One round trip per scrape: rents open and credited sums by kind (`service` is never null). */
export async function rentTotals(sql: Sql): Promise<RentTotals> {
  const row = await sql.row<{ open: string | number; activation: number; rent: number }>(
    `SELECT (SELECT COUNT(*) FROM operations WHERE service = $1 AND status = 'active') AS open,
       COALESCE(SUM(sum) FILTER (WHERE service <> $1), 0)::float8 AS activation,
       COALESCE(SUM(sum) FILTER (WHERE service = $1), 0)::float8 AS rent
     FROM operations WHERE finish_status = 3`,
    [RENT_SERVICE],
  );
  return {
    open: Number(row?.open ?? 0),
    earnedByKind: { activation: Number(row?.activation ?? 0), rent: Number(row?.rent ?? 0) },
  };
}
