import { GatewayError } from '../../errors.js';
import type {
  AssembleParts,
  CollectingGroup,
  ConcatPart,
  GroupCloseResult,
  IngestInput,
  IngestResult,
  MessageInput,
  MessageStatus,
  RouteDecision,
  StoredPart,
} from '../repository.js';
import type { Sql } from './pg-connection.js';
import { insertMessage, queuePush, resolveRoute, ingestResult as result } from './pg-rows.js';

/*
 * Concatenated SMS, the same rules as the SQLite store (sqlite-multipart.ts has the reasoning):
 * parts are message rows of a group keyed by SIM, sender, reference and total; a part joins a
 * group only if alphabet, reference width and SC time stamp agree and the group holds no other
 * content under its sequence number. The caller holds the SIM's advisory lock, so two hosts
 * reading parts of one SIM (it moved) never build two groups for one message.
 */

interface GroupRow {
  id: number;
  sim_key: string;
  sender: string;
  ref: number;
  total: number;
  first_part_at_ms: number;
  state: 'collecting' | 'complete' | 'incomplete';
  encoding: string | null;
  ref_bits: number | null;
  sc_time_ms: number | null;
}

interface PartIdentity {
  encoding: string | null;
  referenceBits: 8 | 16;
  scTimeMs: number | null;
  sequence: number;
  text: string | null;
}

export async function ingestPart(
  sql: Sql,
  input: Extract<IngestInput, { kind: 'part' }>,
  nowMs: number,
): Promise<IngestResult> {
  const { message, concat } = input;
  const sender = message.sender ?? '';
  const part = identityOf(message, concat);
  const fitting = async (state: 'collecting' | 'incomplete', closedSinceMs: number) =>
    (await findGroups(sql, message.simKey, sender, concat, state, closedSinceMs)).filter((g) =>
      sharesIdentity(g, part, input.scTimeToleranceMs),
    );
  const collecting: GroupRow[] = [];
  for (const g of await fitting('collecting', 0)) {
    if (!(await holdsOtherContent(sql, g.id, part))) collecting.push(g);
  }
  let group = nearest(collecting, part);
  if (!group) {
    const lateCandidates: GroupRow[] = [];
    for (const g of await fitting('incomplete', nowMs - input.latePartWindowMs)) {
      if (!(await hasSequence(sql, g.id, concat.sequence))) lateCandidates.push(g);
    }
    const closed = nearest(lateCandidates, part);
    if (closed) {
      const routed = await resolveRoute(sql, input.route);
      const id = await insertMessage(sql, message, routed.status, nowMs, {
        concat,
        groupId: closed.id,
        operationId: routed.operationId,
      });
      const pushId = await queuePush(sql, id, routed, message.sender, message.text, nowMs);
      return result(id, routed.status, { pushId, groupId: closed.id, latePart: true });
    }
    group = await insertGroup(sql, message.simKey, sender, concat, part, nowMs);
  }
  const partId = await insertMessage(sql, message, 'part', nowMs, { concat, groupId: group.id });
  const parts = await partsOf(sql, group.id);
  if (parts.length < group.total) return result(partId, 'part', { groupId: group.id });
  const closedGroup = await closeGroup(sql, group, 'complete', input.route, input.assemble, message, nowMs);
  return result(partId, 'part', {
    groupId: group.id,
    pushId: closedGroup.pushId,
    completedMessageId: closedGroup.messageId,
  });
}

export async function closeIncompleteGroup(
  sql: Sql,
  groupId: number,
  route: RouteDecision,
  assemble: AssembleParts,
  nowMs: number,
): Promise<GroupCloseResult> {
  // FOR UPDATE: two hosts' sweepers closing the same group wait for each other; the second
  // then finds it no longer collecting.
  const group = await sql.row<GroupRow>(
    "SELECT * FROM multipart_groups WHERE id = $1 AND state = 'collecting' FOR UPDATE",
    [groupId],
  );
  if (!group) return { closed: false, messageId: null, status: null, pushId: null };
  const template = await sql.row<TemplateRow>(
    "SELECT * FROM messages WHERE multipart_group_id = $1 AND status = 'part' ORDER BY concat_seq, id LIMIT 1",
    [groupId],
  );
  if (!template) throw new GatewayError('STORE_FAILED', `multipart group ${groupId} has no parts`);
  const closed = await closeGroup(sql, group, 'incomplete', route, assemble, templateInput(template), nowMs);
  return { closed: true, ...closed };
}

export async function selectOverdueGroups(sql: Sql, cutoffMs: number): Promise<CollectingGroup[]> {
  const rows = await sql.rows<GroupRow & { phone: string | null }>(
    `SELECT g.*, (SELECT m.phone FROM messages m WHERE m.multipart_group_id = g.id ORDER BY m.id DESC LIMIT 1) AS phone
     FROM multipart_groups g WHERE g.state = 'collecting' AND g.first_part_at_ms <= $1 ORDER BY g.first_part_at_ms`,
    [cutoffMs],
  );
  return rows.map((row) => ({
    id: row.id,
    simKey: row.sim_key,
    sender: row.sender,
    reference: row.ref,
    total: row.total,
    firstPartAtMs: row.first_part_at_ms,
    phone: row.phone,
  }));
}

async function closeGroup(
  sql: Sql,
  group: GroupRow,
  state: 'complete' | 'incomplete',
  route: RouteDecision,
  assemble: AssembleParts,
  template: MessageInput,
  nowMs: number,
): Promise<{ messageId: number; status: MessageStatus; pushId: number | null }> {
  const parts = await partsOf(sql, group.id);
  const text = assemble(parts);
  const first = await sql.row<{
    sc_timestamp: string | null;
    encoding: string | null;
    sender_type: string | null;
  }>('SELECT sc_timestamp, encoding, sender_type FROM messages WHERE id = $1', [parts[0]?.messageId ?? -1]);
  const routed = await resolveRoute(sql, route);
  const assembled: MessageInput = {
    ...template,
    storage: null,
    storageIndex: null,
    rawPdu: null,
    rawText: null,
    dedupeKey: `group:${group.id}`,
    sender: group.sender,
    senderType: first?.sender_type ?? template.senderType,
    text,
    encoding: first?.encoding ?? template.encoding,
    scTimestamp: first?.sc_timestamp ?? template.scTimestamp,
  };
  const messageId = await insertMessage(sql, assembled, routed.status, nowMs, {
    concat: { reference: group.ref, total: group.total, sequence: null },
    groupId: group.id,
    operationId: routed.operationId,
  });
  await sql.run('UPDATE multipart_groups SET state = $1, message_id = $2, closed_at_ms = $3 WHERE id = $4', [
    state,
    messageId,
    nowMs,
    group.id,
  ]);
  const pushId = await queuePush(sql, messageId, routed, group.sender, text, nowMs);
  return { messageId, status: routed.status, pushId };
}

async function partsOf(sql: Sql, groupId: number): Promise<StoredPart[]> {
  const rows = await sql.rows<{
    id: number;
    concat_seq: number;
    raw_pdu: string | null;
    text: string | null;
  }>(
    "SELECT id, concat_seq, raw_pdu, text FROM messages WHERE multipart_group_id = $1 AND status = 'part' ORDER BY concat_seq, id",
    [groupId],
  );
  const parts: StoredPart[] = [];
  for (const row of rows) {
    if (parts.at(-1)?.sequence === row.concat_seq) continue;
    parts.push({ messageId: row.id, sequence: row.concat_seq, rawPdu: row.raw_pdu, text: row.text });
  }
  return parts;
}

async function hasSequence(sql: Sql, groupId: number, sequence: number): Promise<boolean> {
  return (
    (await sql.row('SELECT 1 FROM messages WHERE multipart_group_id = $1 AND concat_seq = $2 LIMIT 1', [
      groupId,
      sequence,
    ])) !== undefined
  );
}

async function holdsOtherContent(sql: Sql, groupId: number, part: PartIdentity): Promise<boolean> {
  return (
    (await sql.row(
      `SELECT 1 FROM messages WHERE multipart_group_id = $1 AND concat_seq = $2 AND status = 'part'
       AND text IS DISTINCT FROM $3 LIMIT 1`,
      [groupId, part.sequence, part.text],
    )) !== undefined
  );
}

function identityOf(message: MessageInput, concat: ConcatPart): PartIdentity {
  const scTimeMs = message.scTimestamp === null ? Number.NaN : Date.parse(message.scTimestamp);
  return {
    encoding: message.encoding,
    referenceBits: concat.referenceBits,
    scTimeMs: Number.isFinite(scTimeMs) ? scTimeMs : null,
    sequence: concat.sequence,
    text: message.text,
  };
}

function sharesIdentity(group: GroupRow, part: PartIdentity, scTimeToleranceMs: number): boolean {
  const agrees = <T>(a: T | null, b: T | null) => a === null || b === null || a === b;
  return (
    agrees(group.encoding, part.encoding) &&
    agrees<number>(group.ref_bits, part.referenceBits) &&
    (group.sc_time_ms === null ||
      part.scTimeMs === null ||
      Math.abs(group.sc_time_ms - part.scTimeMs) <= scTimeToleranceMs)
  );
}

function nearest(groups: readonly GroupRow[], part: PartIdentity): GroupRow | undefined {
  const distance = (g: GroupRow) =>
    g.sc_time_ms === null || part.scTimeMs === null
      ? Number.POSITIVE_INFINITY
      : Math.abs(g.sc_time_ms - part.scTimeMs);
  let best: GroupRow | undefined;
  for (const group of groups) if (best === undefined || distance(group) < distance(best)) best = group;
  return best;
}

function findGroups(
  sql: Sql,
  simKey: string,
  sender: string,
  concat: ConcatPart,
  state: 'collecting' | 'incomplete',
  closedSinceMs: number,
): Promise<GroupRow[]> {
  return sql.rows<GroupRow>(
    `SELECT * FROM multipart_groups WHERE sim_key = $1 AND sender = $2 AND ref = $3 AND total = $4 AND state = $5
     AND COALESCE(closed_at_ms, first_part_at_ms) >= $6 ORDER BY id DESC`,
    [simKey, sender, concat.reference, concat.total, state, closedSinceMs],
  );
}

async function insertGroup(
  sql: Sql,
  simKey: string,
  sender: string,
  concat: ConcatPart,
  part: PartIdentity,
  nowMs: number,
): Promise<GroupRow> {
  const row = await sql.row<GroupRow>(
    `INSERT INTO multipart_groups (sim_key, sender, ref, total, first_part_at_ms, state, encoding, ref_bits, sc_time_ms)
     VALUES ($1, $2, $3, $4, $5, 'collecting', $6, $7, $8) RETURNING *`,
    [simKey, sender, concat.reference, concat.total, nowMs, part.encoding, part.referenceBits, part.scTimeMs],
  );
  if (!row) throw new GatewayError('STORE_FAILED', 'multipart group insert returned no row');
  return row;
}

interface TemplateRow {
  sim_key: string;
  port: string;
  phone: string | null;
  sender: string | null;
  sender_type: string | null;
  encoding: string | null;
  sc_timestamp: string | null;
  received_at_ms: number;
}

function templateInput(row: TemplateRow): MessageInput {
  return {
    simKey: row.sim_key,
    iccid: null,
    imsi: null,
    port: row.port,
    phone: row.phone,
    storage: null,
    storageIndex: null,
    rawPdu: null,
    rawText: null,
    dedupeKey: '',
    sender: row.sender,
    senderType: row.sender_type,
    text: null,
    encoding: row.encoding,
    scTimestamp: row.sc_timestamp,
    receivedAtMs: row.received_at_ms,
  };
}
