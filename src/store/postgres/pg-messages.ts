import type { PushState } from '../../push/types.js';
import {
  type ListMessagesQuery,
  MESSAGE_STATUSES,
  type MessageStatus,
  type MessageView,
  type StoreStats,
} from '../repository.js';
import type { Sql } from './pg-connection.js';
import { listLimit } from './pg-rows.js';

interface MessageViewRow {
  id: number;
  sim_key: string;
  port: string;
  phone: string | null;
  sender: string | null;
  sender_type: string | null;
  text: string | null;
  encoding: string | null;
  sc_timestamp: string | null;
  status: MessageStatus;
  error_code: string | null;
  error_message: string | null;
  error_offset: number | null;
  operation_id: number | null;
  raw_pdu: string | null;
  received_at_ms: number;
  updated_at_ms: number;
  g_id: number | null;
  g_total: number | null;
  g_state: 'collecting' | 'complete' | 'incomplete' | null;
  g_message_id: number | null;
  g_received: number | null;
  p_id: number | null;
  p_state: PushState | null;
  p_attempts: number | null;
  p_final_reason: string | null;
}

const SELECT_VIEW = `
SELECT m.id, m.sim_key, m.port, m.phone, m.sender, m.sender_type, m.text, m.encoding, m.sc_timestamp, m.status,
  m.error_code, m.error_message, m.error_offset, m.operation_id, m.raw_pdu, m.received_at_ms, m.updated_at_ms,
  g.id AS g_id, g.total AS g_total, g.state AS g_state, g.message_id AS g_message_id,
  (SELECT COUNT(DISTINCT p2.concat_seq) FROM messages p2 WHERE p2.multipart_group_id = g.id AND p2.status = 'part')
    AS g_received,
  p.id AS p_id, p.state AS p_state, p.attempts AS p_attempts, p.final_reason AS p_final_reason
FROM messages m
LEFT JOIN multipart_groups g ON g.id = m.multipart_group_id
LEFT JOIN pushes p ON p.message_id = m.id`;

export async function selectMessages(sql: Sql, query: ListMessagesQuery): Promise<MessageView[]> {
  const includeParts = query.includeParts === true || query.status === 'part';
  const rows = await sql.rows<MessageViewRow>(
    `${SELECT_VIEW} WHERE ($1::text IS NULL OR m.status = $1) AND ($2::boolean OR m.status <> 'part')
     ORDER BY m.id DESC LIMIT $3`,
    [query.status ?? null, includeParts, listLimit(query.limit)],
  );
  return rows.map(toView);
}

export async function selectMessage(sql: Sql, id: number): Promise<MessageView | null> {
  const row = await sql.row<MessageViewRow>(`${SELECT_VIEW} WHERE m.id = $1`, [id]);
  return row ? toView(row) : null;
}

function toView(row: MessageViewRow): MessageView {
  return {
    id: row.id,
    simKey: row.sim_key,
    port: row.port,
    phone: row.phone,
    sender: row.sender,
    senderType: row.sender_type,
    text: row.text,
    encoding: row.encoding,
    scTimestamp: row.sc_timestamp,
    status: row.status,
    error:
      row.error_code === null
        ? null
        : { code: row.error_code, message: row.error_message ?? '', offset: row.error_offset },
    operationId: row.operation_id,
    rawPdu: row.raw_pdu,
    receivedAtMs: row.received_at_ms,
    updatedAtMs: row.updated_at_ms,
    multipart: multipartOf(row),
    push:
      row.p_id === null || row.p_state === null
        ? null
        : {
            id: row.p_id,
            state: row.p_state,
            attempts: row.p_attempts ?? 0,
            finalReason: row.p_final_reason,
          },
  };
}

function multipartOf(row: MessageViewRow): MessageView['multipart'] {
  if (row.g_id === null || row.g_total === null || row.g_state === null) return null;
  const latePart = row.status !== 'part' && row.g_message_id !== row.id;
  return {
    groupId: row.g_id,
    total: row.g_total,
    partsReceived: latePart ? 1 : (row.g_received ?? 0),
    complete: !latePart && row.g_state === 'complete',
    state: row.g_state,
    latePart,
  };
}

export async function selectStats(sql: Sql, nowMs: number): Promise<StoreStats> {
  const messagesByStatus = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<
    MessageStatus,
    number
  >;
  for (const row of await sql.rows<{ status: MessageStatus; n: number }>(
    'SELECT status, COUNT(*) AS n FROM messages GROUP BY status',
  )) {
    messagesByStatus[row.status] = row.n;
  }
  const pushesByState: Record<PushState, number> = {
    pending: 0,
    delivered: 0,
    rejected: 0,
    expired: 0,
    stopped: 0,
  };
  for (const row of await sql.rows<{ state: PushState; n: number }>(
    'SELECT state, COUNT(*) AS n FROM pushes GROUP BY state',
  )) {
    pushesByState[row.state] = row.n;
  }
  const oldest = (
    await sql.row<{ created: number | null }>(
      "SELECT MIN(created_at_ms) AS created FROM pushes WHERE state = 'pending'",
    )
  )?.created;
  const counters: Record<string, number> = {};
  for (const row of await sql.rows<{ name: string; value: number }>('SELECT name, value FROM counters')) {
    counters[row.name] = row.value;
  }
  const active = await sql.row<{ n: number }>("SELECT COUNT(*) AS n FROM operations WHERE status = 'active'");
  const collecting = await sql.row<{ n: number }>(
    "SELECT COUNT(*) AS n FROM multipart_groups WHERE state = 'collecting'",
  );
  return {
    outboxDepth: pushesByState.pending,
    oldestPendingAgeMs: oldest === null || oldest === undefined ? null : Math.max(0, nowMs - oldest),
    messagesByStatus,
    pushesByState,
    activeOperations: active?.n ?? 0,
    collectingGroups: collecting?.n ?? 0,
    counters,
  };
}
