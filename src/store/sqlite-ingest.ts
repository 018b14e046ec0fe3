import type { SqliteDatabase } from './database.js';
import {
  COUNTER_DUPLICATE_READS,
  type IngestInput,
  type IngestResult,
  type MessageStatus,
} from './repository.js';
import {
  insertMessage,
  queuePush,
  resolveRoute,
  ingestResult as result,
  upsertSim,
} from './sqlite-message-rows.js';
import { ingestPart } from './sqlite-multipart.js';
import { addToCounter, getRow } from './sqlite-rows.js';

/*
 * One received message, one transaction:
 *
 *   dedupe hit? ──yes──► nothing written (resolves: the driver may delete it from the SIM)
 *        │no
 *   invalid / not_deliver ──► row with that status
 *   single ──► route ──► row (+ push row, same transaction)
 *   part ──► group (collecting | late after incomplete) ──► part row
 *              └─ all sequences in? ──► reassembled row (+ push), group complete
 */

/** Runs inside the caller's transaction; see `BridgeRepository.ingest`. */
export function ingestMessage(db: SqliteDatabase, input: IngestInput, nowMs: number): IngestResult {
  const message = input.message;
  upsertSim(db, message, nowMs);
  const existing = getRow<{ id: number; status: MessageStatus; multipart_group_id: number | null }>(
    db,
    'SELECT id, status, multipart_group_id FROM messages WHERE dedupe_key = ?',
    message.dedupeKey,
  );
  if (existing) {
    addToCounter(db, COUNTER_DUPLICATE_READS, 1);
    return result(existing.id, existing.status, { duplicate: true, groupId: existing.multipart_group_id });
  }
  switch (input.kind) {
    case 'invalid':
      return result(insertMessage(db, message, 'invalid', nowMs, { error: input.error }), 'invalid');
    case 'not_deliver':
      return result(insertMessage(db, message, 'not_deliver', nowMs), 'not_deliver');
    case 'single': {
      const routed = resolveRoute(db, input.route);
      const id = insertMessage(db, message, routed.status, nowMs, { operationId: routed.operationId });
      return result(id, routed.status, {
        pushId: queuePush(db, id, routed, message.sender, message.text, nowMs),
      });
    }
    case 'part':
      return ingestPart(db, input, nowMs);
  }
}
