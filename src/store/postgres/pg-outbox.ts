import { GatewayError } from '../../errors.js';
import type { PendingPush, PushAttemptRecord, PushState, StoredPushBody } from '../../push/types.js';
import { COUNTER_DUPLICATE_WINDOW, type MessageStatus } from '../repository.js';
import type { Sql } from './pg-connection.js';
import { addToCounter } from './pg-rows.js';

/*
 * The shared outbox: the push lifecycle of sqlite-outbox.ts, with leases that name their host.
 *
 *   pending ──claim (FOR UPDATE SKIP LOCKED)──► leased by host A until T
 *      A records the attempt ──► delivered | rejected | pending (due later, lease cleared)
 *      A dies ──► after T, and once A is unheard for staleAfterMs, host B's claim takes it
 *
 * A lease that ended while its host is still heard from is left to that host: it is most likely
 * waiting for the store to come back to record an answer it already has, and sending the push
 * again would duplicate it. A host takes over other hosts' leases only once it has itself been
 * connected for staleAfterMs (after an outage every host looks unheard for a while).
 */

interface PushRow {
  id: number;
  message_id: number;
  operation_id: number;
  body_json: string;
  attempts: number;
  created_at_ms: number;
  next_attempt_at_ms: number;
  lease_until_ms: number | null;
  lease_owner: string | null;
}

const PUSH_COLUMNS =
  'id, message_id, operation_id, body_json, attempts, created_at_ms, next_attempt_at_ms, lease_until_ms, lease_owner';

const MESSAGE_STATUS_FOR: Record<Exclude<PushState, 'pending'>, MessageStatus> = {
  delivered: 'delivered',
  rejected: 'rejected',
  expired: 'expired',
  stopped: 'no_operation',
};

export interface ClaimScope {
  node: string;
  /** Hosts heard from within this long are alive; their ended leases are theirs to finish. */
  staleAfterMs: number;
  /** False right after this host (re)connected: only its own and unowned leases are taken. */
  mayTakeOver: boolean;
}

/** The condition under which a pending push may be leased by `$2` (node) at `$1` (now). */
const CLAIMABLE = `state = 'pending' AND next_attempt_at_ms <= $1 AND (
  lease_until_ms IS NULL OR (lease_until_ms <= $1 AND (
    lease_owner IS NULL OR lease_owner = $2 OR ($3::boolean AND NOT EXISTS (
      SELECT 1 FROM nodes n WHERE n.name = pushes.lease_owner AND n.heard_at_ms > $1 - $4)))))`;

export async function claimDuePushes(
  sql: Sql,
  nowMs: number,
  limit: number,
  leaseUntilMs: number,
  scope: ClaimScope,
): Promise<PendingPush[]> {
  const rows = await sql.rows<PushRow & { previous_owner: string | null; previous_until: number | null }>(
    `WITH due AS (
       SELECT id, lease_owner AS previous_owner, lease_until_ms AS previous_until FROM pushes
       WHERE ${CLAIMABLE}
       ORDER BY next_attempt_at_ms, id LIMIT $5 FOR UPDATE SKIP LOCKED)
     UPDATE pushes p SET lease_until_ms = $6, lease_owner = $2 FROM due WHERE p.id = due.id
     RETURNING p.id, p.message_id, p.operation_id, p.body_json, p.attempts, p.created_at_ms, p.next_attempt_at_ms,
       due.previous_owner, due.previous_until`,
    [nowMs, scope.node, scope.mayTakeOver, scope.staleAfterMs, Math.max(0, Math.trunc(limit)), leaseUntilMs],
  );
  // Taken from a host that died holding it: that request may have reached Onlinesim.
  const takenOver = rows.filter((r) => r.previous_until !== null && r.previous_owner !== scope.node).length;
  if (takenOver > 0) await addToCounter(sql, COUNTER_DUPLICATE_WINDOW, takenOver);
  return rows
    .sort((a, b) => a.next_attempt_at_ms - b.next_attempt_at_ms || a.id - b.id)
    .map((row) => pendingPushOf(row, leaseUntilMs));
}

/** Leases a push just queued by the caller's transaction to this host ("born leased"). */
export async function leaseQueuedPush(
  sql: Sql,
  pushId: number,
  leaseUntilMs: number,
  node: string,
): Promise<PendingPush> {
  const row = await sql.row<PushRow>(
    `UPDATE pushes SET lease_until_ms = $1, lease_owner = $2 WHERE id = $3 RETURNING ${PUSH_COLUMNS}`,
    [leaseUntilMs, node, pushId],
  );
  if (!row)
    throw new GatewayError('STORE_PUSH_NOT_FOUND', `push ${pushId} not found`, { context: { pushId } });
  return pendingPushOf(row, leaseUntilMs);
}

export async function releaseHeldLeases(sql: Sql, pushIds: readonly number[], node: string): Promise<void> {
  if (pushIds.length === 0) return;
  await sql.run(
    `UPDATE pushes SET lease_until_ms = NULL, lease_owner = NULL
     WHERE id = ANY($1::bigint[]) AND state = 'pending' AND lease_owner = $2`,
    [pushIds, node],
  );
}

function pendingPushOf(
  row: Omit<PushRow, 'lease_until_ms' | 'lease_owner'>,
  leaseUntilMs: number,
): PendingPush {
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

export async function selectNextDueAtMs(sql: Sql): Promise<number | null> {
  const row = await sql.row<{ due: number | null }>(
    "SELECT MIN(GREATEST(next_attempt_at_ms, COALESCE(lease_until_ms, 0))) AS due FROM pushes WHERE state = 'pending'",
  );
  return row?.due ?? null;
}

/**
 * At start-up: leases this host's previous process left (it died with those requests possibly
 * in flight). Other hosts' leases are theirs. Counted in `duplicate_window`.
 */
export async function releaseOwnLeases(sql: Sql, node: string): Promise<number> {
  const changes = await sql.run(
    `UPDATE pushes SET lease_until_ms = NULL, lease_owner = NULL
     WHERE state = 'pending' AND lease_until_ms IS NOT NULL AND lease_owner = $1`,
    [node],
  );
  if (changes > 0) await addToCounter(sql, COUNTER_DUPLICATE_WINDOW, changes);
  return changes;
}

async function insertAttempt(sql: Sql, record: PushAttemptRecord, node: string): Promise<void> {
  const changes = await sql.run(
    `INSERT INTO push_attempts (push_id, attempt, started_at_ms, finished_at_ms, http_status, error_name, response_snippet, node)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM pushes WHERE id = $1)`,
    [
      record.pushId,
      record.attempt,
      record.startedAtMs,
      record.finishedAtMs,
      record.httpStatus,
      record.errorName,
      record.responseSnippet === null ? null : record.responseSnippet.slice(0, 512),
      node,
    ],
  );
  if (changes === 0) {
    throw new GatewayError('STORE_PUSH_NOT_FOUND', `push ${record.pushId} not found`, {
      context: { pushId: record.pushId },
    });
  }
}

/** A 200 ends the push as delivered whatever state it was in: the peer has the SMS. */
export async function markDelivered(sql: Sql, record: PushAttemptRecord, node: string): Promise<void> {
  await insertAttempt(sql, record, node);
  const changes = await sql.run(
    `UPDATE pushes SET state = 'delivered', attempts = GREATEST(attempts, $1), delivered_at_ms = $2, ended_at_ms = $2,
       lease_until_ms = NULL, lease_owner = NULL, final_reason = NULL WHERE id = $3 AND state <> 'delivered'`,
    [record.attempt, record.finishedAtMs, record.pushId],
  );
  if (changes > 0) await syncMessage(sql, record.pushId, 'delivered', record.finishedAtMs);
}

export async function markRejected(
  sql: Sql,
  record: PushAttemptRecord,
  reason: string,
  node: string,
): Promise<void> {
  await insertAttempt(sql, record, node);
  const changes = await sql.run(
    `UPDATE pushes SET state = 'rejected', attempts = GREATEST(attempts, $1), ended_at_ms = $2, lease_until_ms = NULL,
       lease_owner = NULL, final_reason = $3, last_error = COALESCE($4, last_error) WHERE id = $5 AND state = 'pending'`,
    [record.attempt, record.finishedAtMs, reason, record.errorName, record.pushId],
  );
  if (changes > 0) await syncMessage(sql, record.pushId, 'rejected', record.finishedAtMs);
}

export async function markRetry(
  sql: Sql,
  record: PushAttemptRecord,
  nextAttemptAtMs: number,
  node: string,
): Promise<void> {
  await insertAttempt(sql, record, node);
  await sql.run(
    `UPDATE pushes SET attempts = GREATEST(attempts, $1), next_attempt_at_ms = $2, lease_until_ms = NULL,
       lease_owner = NULL, last_error = $3 WHERE id = $4 AND state = 'pending'`,
    [
      record.attempt,
      nextAttemptAtMs,
      record.errorName ?? (record.httpStatus === null ? 'unknown' : `HTTP ${record.httpStatus}`),
      record.pushId,
    ],
  );
}

export async function markEnded(
  sql: Sql,
  pushId: number,
  state: 'expired' | 'stopped',
  reason: string,
  atMs: number,
): Promise<void> {
  const changes = await sql.run(
    `UPDATE pushes SET state = $1, final_reason = $2, ended_at_ms = $3, lease_until_ms = NULL, lease_owner = NULL
     WHERE id = $4 AND state = 'pending'`,
    [state, reason, atMs, pushId],
  );
  if (changes > 0) await syncMessage(sql, pushId, state, atMs);
}

async function syncMessage(sql: Sql, pushId: number, state: Exclude<PushState, 'pending'>, atMs: number) {
  await sql.run(
    'UPDATE messages SET status = $1, updated_at_ms = $2 WHERE id = (SELECT message_id FROM pushes WHERE id = $3)',
    [MESSAGE_STATUS_FOR[state], atMs, pushId],
  );
}
