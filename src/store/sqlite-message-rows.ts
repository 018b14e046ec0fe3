import type { StoredPushBody } from '../push/types.js';
import type { SqliteDatabase } from './database.js';
import { RENT_SERVICE } from './rent-store.js';
import type {
  DecodeFailure,
  IngestResult,
  MessageInput,
  MessageStatus,
  RouteDecision,
} from './repository.js';
import { selectActiveOperation } from './sqlite-operations.js';
import { runSql } from './sqlite-rows.js';

/** A route decision after the active operation was looked up. */
export interface Routed {
  status: MessageStatus;
  operationId: number | null;
  phone: string | null;
  /** The operation is a rent: its push goes to pushSmsRent, and counts as rent SMS. */
  rent?: boolean;
}

/** Extra columns for rows that are not plain single messages. */
export interface RowExtras {
  concat?: { reference: number; total: number; sequence: number | null };
  groupId?: number;
  error?: DecodeFailure;
  operationId?: number | null;
}

export function resolveRoute(db: SqliteDatabase, route: RouteDecision): Routed {
  if (route.kind === 'filtered') return { status: 'filtered', operationId: null, phone: null };
  if (route.kind === 'no_phone') return { status: 'no_operation', operationId: null, phone: null };
  const operation = selectActiveOperation(db, route.phone);
  if (!operation) return { status: 'no_operation', operationId: null, phone: route.phone };
  return {
    status: 'pending',
    operationId: operation.id,
    phone: route.phone,
    ...(operation.service === RENT_SERVICE ? { rent: true } : {}),
  };
}

/** Queues the PUSH_SMS for a routed message, due now (CONTRACT.md §4). */
export function queuePush(
  db: SqliteDatabase,
  messageId: number,
  routed: Routed,
  sender: string | null,
  text: string | null,
  nowMs: number,
): number | null {
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
    runSql(
      db,
      'UPDATE rent_operations SET sms_count = sms_count + 1 WHERE operation_id = ?',
      routed.operationId,
    );
  }
  return runSql(
    db,
    `INSERT INTO pushes (message_id, operation_id, body_json, state, attempts, created_at_ms, next_attempt_at_ms)
     VALUES (?, ?, ?, 'pending', 0, ?, ?)`,
    messageId,
    routed.operationId,
    JSON.stringify(body),
    nowMs,
    nowMs,
  ).id;
}

export function insertMessage(
  db: SqliteDatabase,
  m: MessageInput,
  status: MessageStatus,
  nowMs: number,
  extras: RowExtras = {},
): number {
  return runSql(
    db,
    `INSERT INTO messages (sim_key, port, phone, storage, storage_index, raw_pdu, raw_text, dedupe_key, sender,
       sender_type, text, encoding, sc_timestamp, concat_ref, concat_total, concat_seq, status, error_code,
       error_message, error_offset, operation_id, multipart_group_id, received_at_ms, updated_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
  ).id;
}

export function upsertSim(db: SqliteDatabase, m: MessageInput, nowMs: number): void {
  if (m.iccid === null) return;
  runSql(
    db,
    `INSERT INTO sims (iccid, imsi, phone, port, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(iccid) DO UPDATE SET imsi = COALESCE(excluded.imsi, imsi), phone = COALESCE(excluded.phone, phone),
       port = excluded.port, last_seen_ms = excluded.last_seen_ms`,
    m.iccid,
    m.imsi,
    m.phone,
    m.port,
    nowMs,
    nowMs,
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
