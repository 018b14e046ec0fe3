import {
  COUNTER_DUPLICATE_READS,
  type IngestInput,
  type IngestResult,
  type MessageStatus,
} from '../repository.js';
import type { Sql } from './pg-connection.js';
import { ingestPart } from './pg-multipart.js';
import {
  addToCounter,
  insertMessage,
  LOCK_SIM,
  queuePush,
  resolveRoute,
  ingestResult as result,
  upsertSim,
} from './pg-rows.js';

/**
 * One received message, one transaction, as in sqlite-ingest.ts. The SIM's advisory lock comes
 * first: a SIM is read by one host at a time, but one that moved (or two hosts' sweeps around a
 * move) may be read on two hosts at once, and the dedupe check and the multipart group choice
 * must then see each other's rows. The dedupe key includes the SIM, so one lock covers both.
 */
export async function ingestMessage(sql: Sql, input: IngestInput, nowMs: number): Promise<IngestResult> {
  const message = input.message;
  await lockSim(sql, message.simKey);
  await upsertSim(sql, message, nowMs);
  const existing = await sql.row<{ id: number; status: MessageStatus; multipart_group_id: number | null }>(
    'SELECT id, status, multipart_group_id FROM messages WHERE dedupe_key = $1',
    [message.dedupeKey],
  );
  if (existing) {
    await addToCounter(sql, COUNTER_DUPLICATE_READS, 1);
    return result(existing.id, existing.status, { duplicate: true, groupId: existing.multipart_group_id });
  }
  switch (input.kind) {
    case 'invalid':
      return result(await insertMessage(sql, message, 'invalid', nowMs, { error: input.error }), 'invalid');
    case 'not_deliver':
      return result(await insertMessage(sql, message, 'not_deliver', nowMs), 'not_deliver');
    case 'single': {
      const routed = await resolveRoute(sql, input.route);
      const id = await insertMessage(sql, message, routed.status, nowMs, { operationId: routed.operationId });
      return result(id, routed.status, {
        pushId: await queuePush(sql, id, routed, message.sender, message.text, nowMs),
      });
    }
    case 'part':
      return ingestPart(sql, input, nowMs);
  }
}

export async function lockSim(sql: Sql, simKey: string): Promise<void> {
  await sql.row('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_SIM, simKey]);
}
