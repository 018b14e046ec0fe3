import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { compileSenderFilter } from '../../src/config/sender-filter.js';
import { deliverPdu } from './support/deliver-pdu.js';
import { type BridgeHarness, bridgeHarness, ICCID, PHONE, stored, UNKNOWN_ICCID } from './support/harness.js';

let h: BridgeHarness;
afterEach(() => h?.cleanup());

const CODE = deliverPdu({ sender: 'Instagram', text: 'Your code is 800142' });

function pushRows(db: Database.Database): Array<{ message_id: number; body_json: string; state: string }> {
  return db.prepare('SELECT message_id, body_json, state FROM pushes ORDER BY id').all() as never;
}

describe('IngestPipeline: single SMS', () => {
  it('commits the message and its push before accept resolves', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    await h.pipeline.accept(stored(CODE));
    // A second connection sees the rows at once: they were committed, not just queued.
    const other = new Database(h.store.path, { readonly: true });
    const message = other.prepare('SELECT status, sender, text, raw_pdu, operation_id FROM messages').get();
    expect(message).toEqual({
      status: 'pending',
      sender: 'Instagram',
      text: 'Your code is 800142',
      raw_pdu: CODE,
      operation_id: 355,
    });
    const pushes = pushRows(other);
    expect(pushes).toHaveLength(1);
    expect(JSON.parse(pushes[0]?.body_json ?? '{}')).toEqual({
      smsId: 355,
      phoneFrom: 'Instagram',
      phone: PHONE,
      text: 'Your code is 800142',
    });
    other.close();
    expect(h.pushQueued).toBe(1);
  });

  it('makes the push due at once', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ id: 7, phone: PHONE, service: 'vk', source: 'admin' });
    await h.pipeline.accept(stored(CODE));
    expect(await h.repo.nextDueAtMs()).toBe(h.clock());
  });

  it('rejects accept when the store cannot commit, so the driver keeps the SMS on the SIM', async () => {
    h = bridgeHarness();
    h.repo.database.close();
    await expect(h.pipeline.accept(stored(CODE))).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });
});

describe('IngestPipeline: crash between commit and delete', () => {
  it('re-reading the same PDU after a restart gives no second message and no second push', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    await h.pipeline.accept(stored(CODE, 3));
    h.restart(); // the process died before +CMGD; the SMS is still on the SIM
    // After a restart the modem may list it at another index, and in lowercase hex.
    const again = await h.pipeline.ingest(stored(CODE.toLowerCase(), 0));
    expect(again.duplicate).toBe(true);
    expect(h.repo.database.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 1 });
    expect(pushRows(h.repo.database)).toHaveLength(1);
    expect((await h.repo.stats(h.clock())).counters.duplicate_reads).toBe(1);
    expect(h.pushQueued).toBe(1);
  });

  it('keeps two distinct SMS with the same text apart (their time stamps differ)', async () => {
    h = bridgeHarness();
    await h.pipeline.accept(stored(deliverPdu({ sender: 'Instagram', text: 'same', second: 1 })));
    await h.pipeline.accept(stored(deliverPdu({ sender: 'Instagram', text: 'same', second: 2 })));
    expect(await h.repo.listMessages()).toHaveLength(2);
  });

  it('does not merge the same PDU received by two SIMs', async () => {
    h = bridgeHarness();
    await h.pipeline.accept(stored(CODE, 1, ICCID));
    const other = await h.pipeline.ingest(stored(CODE, 1, UNKNOWN_ICCID));
    expect(other.duplicate).toBe(false);
  });
});

describe('IngestPipeline: routing', () => {
  it('stores an SMS for a SIM whose phone has no active operation as no_operation, not pushed', async () => {
    h = bridgeHarness();
    const result = await h.pipeline.ingest(stored(CODE));
    expect(result.status).toBe('no_operation');
    expect(result.pushId).toBeNull();
    expect(pushRows(h.repo.database)).toHaveLength(0);
    expect(h.pushQueued).toBe(0);
  });

  it('treats a SIM missing from the directory as no_operation even if some operation exists', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin' });
    const result = await h.pipeline.ingest(stored(CODE, 1, UNKNOWN_ICCID));
    expect(result.status).toBe('no_operation');
    expect(pushRows(h.repo.database)).toHaveLength(0);
  });

  it('stops at an ended operation: an SMS after DELETE is no_operation', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ id: 9, phone: PHONE, service: 'vk', source: 'admin' });
    await h.repo.endOperation(9);
    expect((await h.pipeline.ingest(stored(CODE))).status).toBe('no_operation');
  });

  it('never pushes a denied sender (config regex or substring), stored as filtered', async () => {
    h = bridgeHarness({ denySenders: compileSenderFilter(['/^\\+?900$/', 'bank']) });
    await h.repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin' });
    const bank = await h.pipeline.ingest(stored(deliverPdu({ sender: 'SberBank', text: 'Balance 10' })));
    const sber = await h.pipeline.ingest(stored(deliverPdu({ sender: '900', text: 'Code 1234' })));
    const ok = await h.pipeline.ingest(stored(deliverPdu({ sender: '9001', text: 'Code 1234' })));
    expect([bank.status, sber.status, ok.status]).toEqual(['filtered', 'filtered', 'pending']);
    expect(pushRows(h.repo.database)).toHaveLength(1);
    expect(await h.repo.listMessages({ status: 'filtered' })).toHaveLength(2);
  });
});

describe('IngestPipeline: what is not an SMS to push', () => {
  it('stores a malformed PDU raw as invalid with its error, visible, and resolves', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin' });
    const broken = CODE.slice(0, 30); // truncated in the middle of the TPDU
    await expect(h.pipeline.accept(stored(broken))).resolves.toBeUndefined();
    const [message] = await h.repo.listMessages({ status: 'invalid' });
    expect(message?.rawPdu).toBe(broken);
    expect(message?.error?.code).toBe('SMS_PDU_TRUNCATED');
    expect(message?.error?.offset).toEqual(expect.any(Number));
    expect(pushRows(h.repo.database)).toHaveLength(0);
    h.restart();
    expect((await h.pipeline.ingest(stored(broken, 2))).duplicate).toBe(true);
  });

  it('stores non-hex garbage as invalid too', async () => {
    h = bridgeHarness();
    const result = await h.pipeline.ingest(stored('ZZ-not-hex'));
    expect(result.status).toBe('invalid');
    expect((await h.repo.getMessage(result.messageId))?.error?.code).toBe('SMS_PDU_INVALID_HEX');
  });

  it('keeps a status report as not_deliver and never pushes it', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin' });
    // SMS-STATUS-REPORT (TP-MTI 2): MR 0x2A, recipient +79001234567, SCTS, DT, TP-ST 0 (delivered).
    const report = '07919761989901F0062A0B919700214365F762114221000021621142210010210000';
    const result = await h.pipeline.ingest(stored(report));
    expect(result.status).toBe('not_deliver');
    expect(pushRows(h.repo.database)).toHaveLength(0);
  });

  it('routes a text-mode SMS and dedupes it by its fields', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ id: 5, phone: PHONE, service: 'vk', source: 'admin' });
    const sms = {
      ...stored(CODE),
      pdu: null,
      textMode: {
        sender: 'VK',
        senderType: 'alphanumeric' as const,
        text: 'VK: 12345',
        rawBody: 'VK: 12345',
        timestamp: '26/11/24,12:00:00+12',
        alpha: null,
      },
    };
    expect((await h.pipeline.ingest(sms)).status).toBe('pending');
    expect(
      (await h.pipeline.ingest({ ...sms, origin: { kind: 'stored', storage: 'SM', index: 9 } })).duplicate,
    ).toBe(true);
    const [push] = pushRows(h.repo.database);
    expect(JSON.parse(push?.body_json ?? '{}')).toMatchObject({
      smsId: 5,
      phoneFrom: 'VK',
      text: 'VK: 12345',
    });
  });
});

describe('IngestPipeline: concurrency', () => {
  it('commits many concurrent accepts (batched) and every one resolves with its own row', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        h.pipeline.ingest(stored(deliverPdu({ sender: 'Svc', text: `code ${i}`, second: i % 60 }), i)),
      ),
    );
    expect(new Set(results.map((r) => r.messageId)).size).toBe(40);
    expect(pushRows(h.repo.database)).toHaveLength(40);
    expect(h.pushQueued).toBe(40);
  });
});
