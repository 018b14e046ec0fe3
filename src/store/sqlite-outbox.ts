import { GatewayError } from '../errors.js';
import type { PendingPush, PushAttemptRecord, PushState, StoredPushBody } from '../push/types.js';
import type { SqliteDatabase } from './database.js';
import { COUNTER_DUPLICATE_WINDOW, type MessageStatus } from './repository.js';
import { addToCounter, allRows, getRow, runSql } from './sqlite-rows.js';

/*
 * Push lifecycle (only `pending` moves; every end state is final, except that a 200 always wins):
 *
 *   pending ──claimDue──► pending (leased) ──recordRetry──► pending (due later)
 *      │                     ▲  ├──recordDelivered──► delivered
 *      │                     │  └──recordRejected───► rejected
 *      │     queued by an ingest with a lease (leaseQueuedPush, same transaction)
 *      └──endWithoutAttempt──► expired | stopped
 *
 * The message row follows: delivered / rejected / expired; stopped -> no_operation.
 */

interface PushRow {
  id: number;
  message_id: number;
  operation_id: number;
  body_json: string;
  attempts: number;
  created_at_ms: number;
  next_attempt_at_ms: number;
}

const MESSAGE_STATUS_FOR: Record<Exclude<PushState, 'pending'>, MessageStatus> = {
  delivered: 'delivered',
  rejected: 'rejected',
  expired: 'expired',
  stopped: 'no_operation',
};

export function claimDuePushes(
  db: SqliteDatabase,
  nowMs: number,
  limit: number,
  leaseUntilMs: number,
): PendingPush[] {
  const rows = allRows<PushRow>(
    db,
    `SELECT id, message_id, operation_id, body_json, attempts, created_at_ms, next_attempt_at_ms FROM pushes
     WHERE state = 'pending' AND next_attempt_at_ms <= ? AND (lease_until_ms IS NULL OR lease_until_ms <= ?)
     ORDER BY next_attempt_at_ms, id LIMIT ?`,
    nowMs,
    nowMs,
    Math.max(0, Math.trunc(limit)),
  );
  for (const row of rows)
    runSql(db, 'UPDATE pushes SET lease_until_ms = ? WHERE id = ?', leaseUntilMs, row.id);
  return rows.map((row) => pendingPushOf(row, leaseUntilMs));
}

/** True when `claimDuePushes` at `nowMs` would return a push: lets a claim skip the writer. */
export function hasClaimablePush(db: SqliteDatabase, nowMs: number): boolean {
  return (
    getRow(
      db,
      `SELECT 1 FROM pushes WHERE state = 'pending' AND next_attempt_at_ms <= ?
       AND (lease_until_ms IS NULL OR lease_until_ms <= ?) LIMIT 1`,
      nowMs,
      nowMs,
    ) !== undefined
  );
}

/**
 * Leases a push just queued by the caller's transaction to this process ("born leased"), so that
 * it can go to the worker at once without a claim of its own: the claim path skips it until the
 * lease ends, and a process that dies holding it leaves a lease that the next start releases.
 */
export function leaseQueuedPush(db: SqliteDatabase, pushId: number, leaseUntilMs: number): PendingPush {
  runSql(db, 'UPDATE pushes SET lease_until_ms = ? WHERE id = ?', leaseUntilMs, pushId);
  const row = getRow<PushRow>(
    db,
    'SELECT id, message_id, operation_id, body_json, attempts, created_at_ms, next_attempt_at_ms FROM pushes WHERE id = ?',
    pushId,
  );
  if (!row) {
    throw new GatewayError('STORE_PUSH_NOT_FOUND', `push ${pushId} not found`, { context: { pushId } });
  }
  return pendingPushOf(row, leaseUntilMs);
}

/** Gives back leases of pushes this process held but never sent: due again at once. */
export function releaseHeldLeases(db: SqliteDatabase, pushIds: readonly number[]): void {
  for (const id of pushIds) {
    runSql(db, "UPDATE pushes SET lease_until_ms = NULL WHERE id = ? AND state = 'pending'", id);
  }
}

function pendingPushOf(row: PushRow, leaseUntilMs: number): PendingPush {
  return {
    id: row.id,
    messageId: row.message_id,
    operationId: row.operation_id,
    body: JSON.parse(row.body_json) as StoredPushBody,
    attempts: row.attempts,
    createdAtMs: row.created_at_ms,
    nextAttemptAtMs: row.next_attempt_at_ms,
    leaseUntilMs,
  };
}

/** Earliest moment a pending push can be claimed: its due time, or its lease end if later. */
export function selectNextDueAtMs(db: SqliteDatabase): number | null {
  const row = getRow<{ due: number | null }>(
    db,
    "SELECT MIN(MAX(next_attempt_at_ms, COALESCE(lease_until_ms, 0))) AS due FROM pushes WHERE state = 'pending'",
  );
  return row?.due ?? null;
}

/**
 * At start-up, before the first claim: a lease still set means the previous process died with
 * that request possibly in flight. Clears them (due again at once) and counts them in the
 * `duplicate_window` counter, since Onlinesim may already have had a 200 for them.
 */
export function releaseLeases(db: SqliteDatabase): number {
  const { changes } = runSql(
    db,
    "UPDATE pushes SET lease_until_ms = NULL WHERE state = 'pending' AND lease_until_ms IS NOT NULL",
  );
  if (changes > 0) addToCounter(db, COUNTER_DUPLICATE_WINDOW, changes);
  return changes;
}

export function insertAttempt(db: SqliteDatabase, record: PushAttemptRecord): void {
  if (!getRow(db, 'SELECT 1 FROM pushes WHERE id = ?', record.pushId)) {
    throw new GatewayError('STORE_PUSH_NOT_FOUND', `push ${record.pushId} not found`, {
      context: { pushId: record.pushId },
    });
  }
  runSql(
    db,
    `INSERT INTO push_attempts (push_id, attempt, started_at_ms, finished_at_ms, http_status, error_name, response_snippet)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    record.pushId,
    record.attempt,
    record.startedAtMs,
    record.finishedAtMs,
    record.httpStatus,
    record.errorName,
    record.responseSnippet === null ? null : record.responseSnippet.slice(0, 512),
  );
}

/** A 200 ends the push as delivered whatever state it was in: the peer has the SMS. */
export function markDelivered(db: SqliteDatabase, record: PushAttemptRecord): void {
  insertAttempt(db, record);
  const { changes } = runSql(
    db,
    `UPDATE pushes SET state = 'delivered', attempts = MAX(attempts, ?), delivered_at_ms = ?, ended_at_ms = ?,
       lease_until_ms = NULL, final_reason = NULL WHERE id = ? AND state != 'delivered'`,
    record.attempt,
    record.finishedAtMs,
    record.finishedAtMs,
    record.pushId,
  );
  if (changes > 0) syncMessage(db, record.pushId, 'delivered', record.finishedAtMs);
}

export function markRejected(db: SqliteDatabase, record: PushAttemptRecord, reason: string): void {
  insertAttempt(db, record);
  const { changes } = runSql(
    db,
    `UPDATE pushes SET state = 'rejected', attempts = MAX(attempts, ?), ended_at_ms = ?, lease_until_ms = NULL,
       final_reason = ?, last_error = COALESCE(?, last_error) WHERE id = ? AND state = 'pending'`,
    record.attempt,
    record.finishedAtMs,
    reason,
    record.errorName,
    record.pushId,
  );
  if (changes > 0) syncMessage(db, record.pushId, 'rejected', record.finishedAtMs);
}

export function markRetry(db: SqliteDatabase, record: PushAttemptRecord, nextAttemptAtMs: number): void {
  insertAttempt(db, record);
  runSql(
    db,
    `UPDATE pushes SET attempts = MAX(attempts, ?), next_attempt_at_ms = ?, lease_until_ms = NULL,
       last_error = ? WHERE id = ? AND state = 'pending'`,
    record.attempt,
    nextAttemptAtMs,
    record.errorName ?? (record.httpStatus === null ? 'unknown' : `HTTP ${record.httpStatus}`),
    record.pushId,
  );
}

export function markEnded(
  db: SqliteDatabase,
  pushId: number,
  state: 'expired' | 'stopped',
  reason: string,
  atMs: number,
): void {
  const { changes } = runSql(
    db,
    `UPDATE pushes SET state = ?, final_reason = ?, ended_at_ms = ?, lease_until_ms = NULL
     WHERE id = ? AND state = 'pending'`,
    state,
    reason,
    atMs,
    pushId,
  );
  if (changes > 0) syncMessage(db, pushId, state, atMs);
}

function syncMessage(
  db: SqliteDatabase,
  pushId: number,
  state: Exclude<PushState, 'pending'>,
  atMs: number,
): void {
  runSql(
    db,
    'UPDATE messages SET status = ?, updated_at_ms = ? WHERE id = (SELECT message_id FROM pushes WHERE id = ?)',
    MESSAGE_STATUS_FOR[state],
    atMs,
    pushId,
  );
}
