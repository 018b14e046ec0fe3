import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, runMigrations, type SqliteDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import type { IngestInput, MessageInput } from '../../src/store/repository.js';
import { ingestMessage } from '../../src/store/sqlite-ingest.js';

let db: SqliteDatabase | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

const SC_TIMESTAMP = '2026-11-25T04:00:00+03:00';

function partInput(dedupeKey: string, sequence: number, text: string, encoding = 'gsm7'): IngestInput {
  const message: MessageInput = {
    simKey: '89701012345678901234',
    iccid: null,
    imsi: null,
    port: '/dev/gsm/slot1',
    phone: null,
    storage: null,
    storageIndex: null,
    rawPdu: null,
    rawText: null,
    dedupeKey,
    sender: 'Instagram',
    senderType: 'alphanumeric',
    text,
    encoding,
    scTimestamp: SC_TIMESTAMP,
    receivedAtMs: 0,
  };
  return {
    kind: 'part',
    message,
    concat: { reference: 7, total: 2, sequence, referenceBits: 8 },
    route: { kind: 'no_phone' },
    assemble: (parts) => parts.map((p) => p.text ?? '').join(''),
    latePartWindowMs: 60_000,
    scTimeToleranceMs: 60_000,
  };
}

/** A database at schema 2 holding one collecting group with part 1, as stored before 003. */
function legacyDatabase(): SqliteDatabase {
  const opened = openDatabase(':memory:');
  runMigrations(opened, MIGRATIONS.slice(0, 2));
  const group = opened
    .prepare(
      `INSERT INTO multipart_groups (sim_key, sender, ref, total, first_part_at_ms, state)
       VALUES ('89701012345678901234', 'Instagram', 7, 2, 0, 'collecting')`,
    )
    .run().lastInsertRowid;
  opened
    .prepare(
      `INSERT INTO messages (sim_key, port, dedupe_key, sender, text, encoding, sc_timestamp, concat_ref,
         concat_total, concat_seq, status, multipart_group_id, received_at_ms, updated_at_ms)
       VALUES ('89701012345678901234', '/dev/gsm/slot1', 'legacy-1', 'Instagram', 'one ', 'gsm7', ?, 7, 2, 1,
         'part', ?, 0, 0)`,
    )
    .run(SC_TIMESTAMP, group);
  return opened;
}

describe('migration 003 (multipart identity)', () => {
  it("fills a stored group's alphabet and SC time stamp from its first part; the width stays unknown", () => {
    db = legacyDatabase();
    runMigrations(db, MIGRATIONS);
    expect(db.prepare('SELECT encoding, ref_bits, sc_time_ms FROM multipart_groups').get()).toEqual({
      encoding: 'gsm7',
      ref_bits: null,
      sc_time_ms: Date.parse(SC_TIMESTAMP),
    });
  });

  it('lets a part join a group stored before it, and keeps a part of another alphabet out', () => {
    db = legacyDatabase();
    runMigrations(db, MIGRATIONS);
    const other = ingestMessage(db, partInput('ucs2-2', 2, 'два', 'ucs2'), 1_000);
    expect(other.groupId).not.toBe(1);
    const joined = ingestMessage(db, partInput('gsm7-2', 2, 'two'), 1_000);
    expect(joined).toMatchObject({ groupId: 1, status: 'part' });
    expect(joined.completedMessageId).not.toBeNull();
    const texts = db.prepare("SELECT text FROM messages WHERE dedupe_key LIKE 'group:%'").all();
    expect(texts).toEqual([{ text: 'one two' }]);
  });
});
