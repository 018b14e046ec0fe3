import type { StoredPushBody } from '../../push/types.js';
import { RENT_SERVICE } from '../rent-store.js';
import type {
  DecodeFailure,
  IngestResult,
  MessageInput,
  MessageStatus,
  OperationRecord,
  OperationSource,
  RouteDecision,
} from '../repository.js';
import type { Sql } from './pg-connection.js';

/** Row shapes and writes every PostgreSQL store file shares (the SQLite store's, in this dialect). */

export interface OperationRow {
  id: number;
  phone: string;
  service: string;
  source: OperationSource;
  status: 'active' | 'finished';
  finish_status: number | null;
  sum: number | null;
  created_at_ms: number;
  finished_at_ms: number | null;
}

export function toOperation(row: OperationRow): OperationRecord {
  return {
    id: row.id,
    phone: row.phone,
    service: row.service,
    source: row.source,
    status: row.status,
    finishStatus: row.finish_status,
    sum: row.sum,
    createdAtMs: row.created_at_ms,
    finishedAtMs: row.finished_at_ms,
  };
}

export async function selectActiveOperation(sql: Sql, phone: string): Promise<OperationRecord | null> {
  const row = await sql.row<OperationRow>("SELECT * FROM operations WHERE phone = $1 AND status = 'active'", [
    phone,
  ]);
  return row ? toOperation(row) : null;
}

/** A listing's row limit: the caller's (default 100), made a whole number from 1 to 1000. */
export function listLimit(limit: number | undefined): number {
  return Math.min(1000, Math.max(1, Math.trunc(limit ?? 100)));
}

export async function addToCounter(sql: Sql, name: string, by: number): Promise<void> {
  await sql.run(
    'INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = counters.value + EXCLUDED.value',
    [name, by],
  );
}

/** A route decision after the active operation was looked up. */
export interface Routed {
  status: MessageStatus;
  operationId: number | null;
  phone: string | null;
  /** The operation is a rent: its push goes to pushSmsRent, and counts as rent SMS. */
  rent?: boolean;
}

export interface RowExtras {
  concat?: { reference: number; total: number; sequence: number | null };
  groupId?: number;
  error?: DecodeFailure;
  operationId?: number | null;
}

export async function resolveRoute(sql: Sql, route: RouteDecision): Promise<Routed> {
  if (route.kind === 'filtered') return { status: 'filtered', operationId: null, phone: null };
  if (route.kind === 'no_phone') return { status: 'no_operation', operationId: null, phone: null };
  const operation = await selectActiveOperation(sql, route.phone);
  if (!operation) return { status: 'no_operation', operationId: null, phone: route.phone };
  return {
    status: 'pending',
    operationId: operation.id,
    phone: route.phone,
    ...(operation.service === RENT_SERVICE ? { rent: true } : {}),
  };
}

/** Queues the PUSH_SMS for a routed message, due now (CONTRACT.md §4). */
export async function queuePush(
  sql: Sql,
  messageId: number,
  routed: Routed,
  sender: string | null,
  text: string | null,
  nowMs: number,
): Promise<number | null> {
  if (routed.status !== 'pending' || routed.operationId === null || routed.phone === null) return null;
  const body: StoredPushBody = {
    smsId: routed.operationId,
    phoneFrom: sender ?? '',
    phone: routed.phone,
    text: text ?? '',
    // Durable with the push: a restart sends it to the same URL (PushAttempts picks by target).
    ...(routed.rent ? { target: 'rent' as const } : {}),
  };
  if (routed.rent) {
    await sql.run('UPDATE rent_operations SET sms_count = sms_count + 1 WHERE operation_id = $1', [
      routed.operationId,
    ]);
  }
  const row = await sql.row<{ id: number }>(
    `INSERT INTO pushes (message_id, operation_id, body_json, state, attempts, created_at_ms, next_attempt_at_ms)
     VALUES ($1, $2, $3, 'pending', 0, $4, $4) RETURNING id`,
    [messageId, routed.operationId, JSON.stringify(body), nowMs],
  );
  return row?.id ?? null;
}

export async function insertMessage(
  sql: Sql,
  m: MessageInput,
  status: MessageStatus,
  nowMs: number,
  extras: RowExtras = {},
): Promise<number> {
  const row = await sql.row<{ id: number }>(
    `INSERT INTO messages (sim_key, port, phone, storage, storage_index, raw_pdu, raw_text, dedupe_key, sender,
       sender_type, text, encoding, sc_timestamp, concat_ref, concat_total, concat_seq, status, error_code,
       error_message, error_offset, operation_id, multipart_group_id, received_at_ms, updated_at_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
     RETURNING id`,
    [
      m.simKey,
      m.port,
      m.phone,
      m.storage,
      m.storageIndex,
      m.rawPdu,
      m.rawText,
      m.dedupeKey,
      m.sender,
      m.senderType,
      m.text,
      m.encoding,
      m.scTimestamp,
      extras.concat?.reference ?? null,
      extras.concat?.total ?? null,
      extras.concat?.sequence ?? null,
      status,
      extras.error?.code ?? null,
      extras.error?.message ?? null,
      extras.error?.offset ?? null,
      extras.operationId ?? null,
      extras.groupId ?? null,
      m.receivedAtMs,
      nowMs,
    ],
  );
  if (!row) throw new Error('INSERT INTO messages returned no id');
  return row.id;
}

export async function upsertSim(sql: Sql, m: MessageInput, nowMs: number): Promise<void> {
  if (m.iccid === null) return;
  await sql.run(
    `INSERT INTO sims (iccid, imsi, phone, port, first_seen_ms, last_seen_ms) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (iccid) DO UPDATE SET imsi = COALESCE(EXCLUDED.imsi, sims.imsi), phone = COALESCE(EXCLUDED.phone, sims.phone),
       port = EXCLUDED.port, last_seen_ms = EXCLUDED.last_seen_ms`,
    [m.iccid, m.imsi, m.phone, m.port, nowMs],
  );
}

export function ingestResult(
  messageId: number,
  status: MessageStatus,
  extra: Partial<Omit<IngestResult, 'messageId' | 'status'>> = {},
): IngestResult {
  return {
    messageId,
    status,
    duplicate: extra.duplicate ?? false,
    pushId: extra.pushId ?? null,
    groupId: extra.groupId ?? null,
    completedMessageId: extra.completedMessageId ?? null,
    latePart: extra.latePart ?? false,
  };
}

/** Advisory lock namespaces (first key of the two-key form), one per kind of serialised work. */
export const LOCK_SIM = 1;
export const LOCK_OPERATIONS = 2;
