import { GatewayError } from '../errors.js';
import type { SqliteDatabase } from './database.js';
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
} from './repository.js';
import { insertMessage, queuePush, resolveRoute, ingestResult as result } from './sqlite-message-rows.js';
import { allRows, getRow, runSql } from './sqlite-rows.js';

/*
 * Concatenated SMS (TS 23.040 §9.2.3.24.1): parts are message rows (status `part`) of a group
 * keyed by SIM, sender, reference and total. A group is `collecting` until every sequence number
 * is in (`complete`) or the timeout closes it (`incomplete`); either way one reassembled message
 * row is routed. A part for an `incomplete` group whose sequence it lacks is routed on its own.
 *
 * An 8-bit reference has only 256 values, so a sender reuses it, and under a backlog a part of
 * one message can arrive while another message with the same key is still collecting. A part
 * therefore joins a group only if it also agrees on what all parts of one message share: the
 * alphabet (TS 23.038 §4), the reference width (IE 0x00 or 0x08), and an SC time stamp near the
 * group's; and, for a collecting group, only if the group holds no other content under its
 * sequence number (the same content again is a resent copy, ignored when joining). Otherwise
 * it starts a group of its own. Among several groups it fits, the one stamped nearest wins.
 */

interface GroupRow {
  id: number;
  sim_key: string;
  sender: string;
  ref: number;
  total: number;
  first_part_at_ms: number;
  state: 'collecting' | 'complete' | 'incomplete';
  /** Shared by every part of the message; NULL (groups from before migration 003) matches any. */
  encoding: string | null;
  ref_bits: number | null;
  /** The first part's TP-SCTS, epoch ms. */
  sc_time_ms: number | null;
}

/** What one part shares with the other parts of its message, compared against a group's. */
interface PartIdentity {
  encoding: string | null;
  referenceBits: 8 | 16;
  scTimeMs: number | null;
  sequence: number;
  text: string | null;
}

/** Stores one part (inside the caller's transaction) and closes its group when all are in. */
export function ingestPart(
  db: SqliteDatabase,
  input: Extract<IngestInput, { kind: 'part' }>,
  nowMs: number,
): IngestResult {
  const { message, concat } = input;
  const sender = message.sender ?? '';
  const part = identityOf(message, concat);
  const fitting = (stateClause: string, closedSinceMs: number) =>
    findGroups(db, message.simKey, sender, concat, stateClause, closedSinceMs).filter((g) =>
      sharesIdentity(g, part, input.scTimeToleranceMs),
    );
  let group = nearest(
    fitting("state = 'collecting'", 0).filter((g) => !holdsOtherContent(db, g.id, part)),
    part,
  );
  if (!group) {
    const closed = nearest(
      fitting("state = 'incomplete'", nowMs - input.latePartWindowMs).filter(
        (g) => !hasSequence(db, g.id, concat.sequence),
      ),
      part,
    );
    if (closed) {
      // The group was already pushed without this part: push the part on its own.
      const routed = resolveRoute(db, input.route);
      const id = insertMessage(db, message, routed.status, nowMs, {
        concat,
        groupId: closed.id,
        operationId: routed.operationId,
      });
      const pushId = queuePush(db, id, routed, message.sender, message.text, nowMs);
      return result(id, routed.status, { pushId, groupId: closed.id, latePart: true });
    }
    group = insertGroup(db, message.simKey, sender, concat, part, nowMs);
  }
  const partId = insertMessage(db, message, 'part', nowMs, { concat, groupId: group.id });
  const parts = partsOf(db, group.id);
  if (parts.length < group.total) return result(partId, 'part', { groupId: group.id });
  const closedGroup = closeGroup(db, group, 'complete', input.route, input.assemble, message, nowMs);
  return result(partId, 'part', {
    groupId: group.id,
    pushId: closedGroup.pushId,
    completedMessageId: closedGroup.messageId,
  });
}

/** Closes a still-collecting group as `incomplete` (multipart timeout). */
export function closeIncompleteGroup(
  db: SqliteDatabase,
  groupId: number,
  route: RouteDecision,
  assemble: AssembleParts,
  nowMs: number,
): GroupCloseResult {
  const group = getRow<GroupRow>(
    db,
    "SELECT * FROM multipart_groups WHERE id = ? AND state = 'collecting'",
    groupId,
  );
  if (!group) return { closed: false, messageId: null, status: null, pushId: null };
  const template = getRow<MessageRowForTemplate>(
    db,
    "SELECT * FROM messages WHERE multipart_group_id = ? AND status = 'part' ORDER BY concat_seq, id LIMIT 1",
    groupId,
  );
  if (!template) throw new GatewayError('STORE_FAILED', `multipart group ${groupId} has no parts`);
  const closed = closeGroup(db, group, 'incomplete', route, assemble, templateInput(template), nowMs);
  return { closed: true, ...closed };
}

export function selectOverdueGroups(db: SqliteDatabase, cutoffMs: number): CollectingGroup[] {
  const rows = allRows<GroupRow & { phone: string | null }>(
    db,
    `SELECT g.*, (SELECT m.phone FROM messages m WHERE m.multipart_group_id = g.id ORDER BY m.id DESC LIMIT 1) AS phone
     FROM multipart_groups g WHERE g.state = 'collecting' AND g.first_part_at_ms <= ? ORDER BY g.first_part_at_ms`,
    cutoffMs,
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

function closeGroup(
  db: SqliteDatabase,
  group: GroupRow,
  state: 'complete' | 'incomplete',
  route: RouteDecision,
  assemble: AssembleParts,
  template: MessageInput,
  nowMs: number,
): { messageId: number; status: MessageStatus; pushId: number | null } {
  const parts = partsOf(db, group.id);
  const text = assemble(parts);
  const first = getRow<{ sc_timestamp: string | null; encoding: string | null; sender_type: string | null }>(
    db,
    'SELECT sc_timestamp, encoding, sender_type FROM messages WHERE id = ?',
    parts[0]?.messageId ?? -1,
  );
  const routed = resolveRoute(db, route);
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
  const messageId = insertMessage(db, assembled, routed.status, nowMs, {
    concat: { reference: group.ref, total: group.total, sequence: null },
    groupId: group.id,
    operationId: routed.operationId,
  });
  runSql(
    db,
    'UPDATE multipart_groups SET state = ?, message_id = ?, closed_at_ms = ? WHERE id = ?',
    state,
    messageId,
    nowMs,
    group.id,
  );
  const pushId = queuePush(db, messageId, routed, group.sender, text, nowMs);
  return { messageId, status: routed.status, pushId };
}

/** The first stored part of each sequence number, in sequence order (duplicates ignored). */
function partsOf(db: SqliteDatabase, groupId: number): StoredPart[] {
  const rows = allRows<{ id: number; concat_seq: number; raw_pdu: string | null; text: string | null }>(
    db,
    "SELECT id, concat_seq, raw_pdu, text FROM messages WHERE multipart_group_id = ? AND status = 'part' ORDER BY concat_seq, id",
    groupId,
  );
  const parts: StoredPart[] = [];
  for (const row of rows) {
    if (parts.at(-1)?.sequence === row.concat_seq) continue;
    parts.push({ messageId: row.id, sequence: row.concat_seq, rawPdu: row.raw_pdu, text: row.text });
  }
  return parts;
}

function hasSequence(db: SqliteDatabase, groupId: number, sequence: number): boolean {
  return (
    getRow(
      db,
      'SELECT 1 FROM messages WHERE multipart_group_id = ? AND concat_seq = ? LIMIT 1',
      groupId,
      sequence,
    ) !== undefined
  );
}

/** True when the group holds a part under `part.sequence` whose text differs from this part's. */
function holdsOtherContent(db: SqliteDatabase, groupId: number, part: PartIdentity): boolean {
  return (
    getRow(
      db,
      "SELECT 1 FROM messages WHERE multipart_group_id = ? AND concat_seq = ? AND status = 'part' AND text IS NOT ? LIMIT 1",
      groupId,
      part.sequence,
      part.text,
    ) !== undefined
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

/** Alphabet, reference width and SC time stamp agree (an unknown value agrees with anything). */
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

/** The group stamped nearest to the part; groups come newest first, so ties go to the newest. */
function nearest(groups: readonly GroupRow[], part: PartIdentity): GroupRow | undefined {
  const distance = (g: GroupRow) =>
    g.sc_time_ms === null || part.scTimeMs === null
      ? Number.POSITIVE_INFINITY
      : Math.abs(g.sc_time_ms - part.scTimeMs);
  let best: GroupRow | undefined;
  for (const group of groups) if (best === undefined || distance(group) < distance(best)) best = group;
  return best;
}

/** Groups with the part's key in the given state, newest first. */
function findGroups(
  db: SqliteDatabase,
  simKey: string,
  sender: string,
  concat: ConcatPart,
  stateClause: string,
  closedSinceMs: number,
): GroupRow[] {
  return allRows<GroupRow>(
    db,
    `SELECT * FROM multipart_groups WHERE sim_key = ? AND sender = ? AND ref = ? AND total = ? AND ${stateClause}
     AND COALESCE(closed_at_ms, first_part_at_ms) >= ? ORDER BY id DESC`,
    simKey,
    sender,
    concat.reference,
    concat.total,
    closedSinceMs,
  );
}

function insertGroup(
  db: SqliteDatabase,
  simKey: string,
  sender: string,
  concat: ConcatPart,
  part: PartIdentity,
  nowMs: number,
): GroupRow {
  const { id } = runSql(
    db,
    `INSERT INTO multipart_groups (sim_key, sender, ref, total, first_part_at_ms, state, encoding, ref_bits, sc_time_ms)
     VALUES (?, ?, ?, ?, ?, 'collecting', ?, ?, ?)`,
    simKey,
    sender,
    concat.reference,
    concat.total,
    nowMs,
    part.encoding,
    part.referenceBits,
    part.scTimeMs,
  );
  return {
    id,
    sim_key: simKey,
    sender,
    ref: concat.reference,
    total: concat.total,
    first_part_at_ms: nowMs,
    state: 'collecting',
    encoding: part.encoding,
    ref_bits: part.referenceBits,
    sc_time_ms: part.scTimeMs,
  };
}

interface MessageRowForTemplate {
  sim_key: string;
  port: string;
  phone: string | null;
  sender: string | null;
  sender_type: string | null;
  encoding: string | null;
  sc_timestamp: string | null;
  received_at_ms: number;
}

function templateInput(row: MessageRowForTemplate): MessageInput {
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
