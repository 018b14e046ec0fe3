import { afterEach, describe, expect, it } from 'vitest';
import type { PushAttemptRecord } from '../../src/push/types.js';
import type { IngestInput, MessageInput, StoredPart } from '../../src/store/repository.js';
import { BACKENDS, type StoreHandle } from './support/backends.js';
import { noticePgSkip } from './support/pg-cluster.js';
import { fakeClock } from './support/temp-db.js';

/*
 * What the bridge, the push worker and the reseller rely on from any store: the same test
 * cases, run against SQLite and against a real PostgreSQL server.
 */

noticePgSkip();

const T0 = 1_700_000_000_000;
const PHONE = '79088081050';

function message(n: number, overrides: Partial<MessageInput> = {}): MessageInput {
  return {
    simKey: '8970101000000000001',
    iccid: '8970101000000000001',
    imsi: null,
    port: '/dev/ttyUSB0',
    phone: PHONE,
    storage: 'SM',
    storageIndex: n,
    rawPdu: `07919730071111F1${n}`,
    rawText: null,
    dedupeKey: `key-${n}`,
    sender: 'Instagram',
    senderType: 'alphanumeric',
    text: `code ${n}`,
    encoding: 'gsm7',
    scTimestamp: '2026-12-03T07:00:00.000Z',
    receivedAtMs: T0,
    ...overrides,
  };
}

const single = (n: number, overrides: Partial<MessageInput> = {}): IngestInput => ({
  kind: 'single',
  message: message(n, overrides),
  route: { kind: 'push', phone: PHONE },
});

const assemble = (parts: readonly StoredPart[]) => parts.map((p) => p.text ?? '').join('');

function part(n: number, sequence: number, total: number, reference = 42): IngestInput {
  return {
    kind: 'part',
    message: message(n, { text: `[${sequence}]` }),
    concat: { reference, total, sequence, referenceBits: 8 },
    route: { kind: 'push', phone: PHONE },
    assemble,
    latePartWindowMs: 60_000,
    scTimeToleranceMs: 600_000,
  };
}

function attempt(pushId: number, n: number, httpStatus: number | null): PushAttemptRecord {
  return {
    pushId,
    attempt: n,
    startedAtMs: T0 + 100,
    finishedAtMs: T0 + 200,
    httpStatus,
    errorName: httpStatus === 200 ? null : 'HTTP 500',
    responseSnippet: 'x'.repeat(600),
  };
}

describe.each(BACKENDS)('repository contract on $name', (backend) => {
  let store: StoreHandle | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });
  const open = async (clock = fakeClock(T0)) => {
    store = await backend.open(clock);
    return store;
  };

  describe.skipIf(!backend.available)('', () => {
    it('stores a routed message with its push in one commit, and a second read as a duplicate', async () => {
      const { repo } = await open();
      const op = await repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin', nowMs: T0 });
      const first = await repo.ingest(single(1), T0);
      expect(first).toMatchObject({ duplicate: false, status: 'pending' });
      expect(first.pushId).not.toBeNull();
      const again = await repo.ingest(single(1, { storageIndex: 7, port: '/dev/ttyUSB9' }), T0 + 5);
      expect(again).toMatchObject({ duplicate: true, messageId: first.messageId, pushId: null });
      const stats = await repo.stats(T0 + 10);
      expect(stats.pushesByState.pending).toBe(1);
      expect(stats.counters.duplicate_reads).toBe(1);
      expect(stats.oldestPendingAgeMs).toBe(10);
      const view = await repo.getMessage(first.messageId);
      expect(view).toMatchObject({
        status: 'pending',
        operationId: op.id,
        text: 'code 1',
        push: { attempts: 0 },
      });
    });

    it('routes without an operation, filtered senders and undecodable PDUs without a push', async () => {
      const { repo } = await open();
      expect(await repo.ingest(single(1), T0)).toMatchObject({ status: 'no_operation', pushId: null });
      expect(
        await repo.ingest({ kind: 'single', message: message(2), route: { kind: 'filtered' } }, T0),
      ).toMatchObject({ status: 'filtered', pushId: null });
      const bad = await repo.ingest(
        {
          kind: 'invalid',
          message: message(3),
          error: { code: 'SMS_TRUNCATED', message: 'short', offset: 4 },
        },
        T0,
      );
      expect(await repo.getMessage(bad.messageId)).toMatchObject({
        status: 'invalid',
        rawPdu: message(3).rawPdu,
        error: { code: 'SMS_TRUNCATED', message: 'short', offset: 4 },
      });
      const listed = await repo.listMessages({});
      expect(listed.map((m) => m.status)).toEqual(['invalid', 'filtered', 'no_operation']);
    });

    it('reassembles a multipart message once all parts are in, and closes an incomplete group', async () => {
      const { repo } = await open();
      await repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin', nowMs: T0 });
      const p2 = await repo.ingest(part(2, 2, 2), T0);
      expect(p2).toMatchObject({ status: 'part', pushId: null, completedMessageId: null });
      const p1 = await repo.ingest(part(1, 1, 2), T0 + 1);
      expect(p1.completedMessageId).not.toBeNull();
      expect(p1.pushId).not.toBeNull();
      const whole = await repo.getMessage(p1.completedMessageId ?? -1);
      expect(whole).toMatchObject({
        text: '[1][2]',
        status: 'pending',
        multipart: { complete: true, partsReceived: 2 },
      });

      const lone = await repo.ingest(part(3, 1, 3, 43), T0);
      const overdue = await repo.overdueGroups(T0 + 1);
      expect(overdue.map((g) => g.id)).toEqual([lone.groupId]);
      const closed = await repo.closeGroupIncomplete(
        lone.groupId ?? -1,
        { kind: 'push', phone: PHONE },
        assemble,
        T0 + 2,
      );
      expect(closed).toMatchObject({ closed: true, status: 'pending' });
      expect(
        await repo.closeGroupIncomplete(lone.groupId ?? -1, { kind: 'push', phone: PHONE }, assemble, T0 + 3),
      ).toMatchObject({
        closed: false,
      });
      expect((await repo.stats(T0)).collectingGroups).toBe(0);
    });

    it('keeps one active operation per phone and never reuses an id', async () => {
      const { repo } = await open();
      const a = await repo.createOperation({
        id: 500,
        phone: PHONE,
        service: 'vk',
        source: 'admin',
        nowMs: T0,
      });
      const b = await repo.createOperation({ phone: PHONE, service: 'tg', source: 'admin', nowMs: T0 + 1 });
      expect(b.id).toBeGreaterThan(500);
      expect(await repo.getOperation(a.id)).toMatchObject({ status: 'finished', finishedAtMs: T0 + 1 });
      expect((await repo.activeOperationForPhone(PHONE))?.id).toBe(b.id);
      await expect(
        repo.createOperation({ id: 500, phone: '79000000001', service: 'vk', source: 'admin' }),
      ).rejects.toMatchObject({
        code: 'STORE_OPERATION_ID_USED',
      });
      const ended = await repo.endOperation(b.id, { finishStatus: 3, sum: 12.5, nowMs: T0 + 2 });
      expect(ended).toMatchObject({ status: 'finished', finishStatus: 3, sum: 12.5 });
      expect(await repo.endOperation(b.id, { nowMs: T0 + 9 })).toMatchObject({ finishedAtMs: T0 + 2 });
      await expect(repo.endOperation(9_999)).rejects.toMatchObject({ code: 'STORE_OPERATION_NOT_FOUND' });
      expect((await repo.listOperations({ activeOnly: true })).length).toBe(0);
    });

    it('leases a due push to one claimer; a retry is due later; a 200 ends it delivered', async () => {
      const { repo } = await open();
      await repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin', nowMs: T0 });
      const { pushId } = await repo.ingest(single(1), T0);
      const claimed = await repo.claimDue(T0 + 1, 10, T0 + 30_000);
      expect(claimed.map((p) => p.id)).toEqual([pushId]);
      expect(claimed[0]?.body).toEqual({
        smsId: claimed[0]?.operationId,
        phoneFrom: 'Instagram',
        phone: PHONE,
        text: 'code 1',
      });
      expect(await repo.claimDue(T0 + 2, 10, T0 + 30_000)).toEqual([]);
      await repo.recordRetry(attempt(pushId ?? -1, 1, 500), T0 + 10_000);
      expect(await repo.claimDue(T0 + 9_999, 10, T0 + 40_000)).toEqual([]);
      expect(await repo.nextDueAtMs()).toBe(T0 + 10_000);
      const again = await repo.claimDue(T0 + 10_000, 10, T0 + 40_000);
      expect(again[0]).toMatchObject({ id: pushId, attempts: 1 });
      await repo.recordDelivered(attempt(pushId ?? -1, 2, 200));
      const view = (await repo.listMessages({}))[0];
      expect(view).toMatchObject({ status: 'delivered', push: { state: 'delivered', attempts: 2 } });
      expect(await repo.nextDueAtMs()).toBeNull();
      await expect(repo.recordDelivered(attempt(9_999, 1, 200))).rejects.toMatchObject({
        code: 'STORE_PUSH_NOT_FOUND',
      });
    });

    it('queues a push born leased, skipped by claims until released', async () => {
      const { repo } = await open();
      await repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin', nowMs: T0 });
      const result = await repo.ingest(single(1), T0, { leaseUntilMs: T0 + 30_000 });
      expect(result.leasedPush).toMatchObject({ id: result.pushId, leaseUntilMs: T0 + 30_000 });
      expect(await repo.claimDue(T0 + 1, 10, T0 + 60_000)).toEqual([]);
      await repo.releaseLeases?.([result.pushId ?? -1]);
      expect((await repo.claimDue(T0 + 2, 10, T0 + 60_000)).map((p) => p.id)).toEqual([result.pushId]);
      // Left leased by a process that died: released at the next start and counted.
      expect(await repo.releaseAbandonedLeases(T0 + 3)).toBe(1);
      expect((await repo.stats(T0 + 3)).counters.duplicate_window).toBe(1);
    });

    it('stops a push whose operation ended, and rejects with a reason', async () => {
      const { repo } = await open();
      const op = await repo.createOperation({ phone: PHONE, service: 'vk', source: 'admin', nowMs: T0 });
      const a = await repo.ingest(single(1), T0);
      const b = await repo.ingest(single(2), T0);
      await repo.recordRejected(attempt(b.pushId ?? -1, 1, 400), 'BAD_SERVICE');
      await repo.endOperation(op.id, { nowMs: T0 + 1 });
      expect(await repo.isOperationOpen(op.id)).toBe(false);
      await repo.endWithoutAttempt(a.pushId ?? -1, 'stopped', 'operation ended', T0 + 2);
      const stats = await repo.stats(T0 + 3);
      expect(stats.pushesByState).toMatchObject({ stopped: 1, rejected: 1, pending: 0 });
      expect(stats.messagesByStatus).toMatchObject({ no_operation: 1, rejected: 1 });
      expect(stats.outboxDepth).toBe(0);
      await repo.checkWritable();
      await repo.incrementCounter('custom', 3);
      expect((await repo.stats(T0)).counters.custom).toBe(3);
    });

    it('sells the least recently used free number once and records FINISH_ACTIVATION', async () => {
      const { reseller } = await open();
      const phones = ['79000000001', '79000000002'];
      const claim = (nowMs: number) =>
        reseller.claimNumber({
          candidatePhones: phones,
          service: 'vk',
          country: 'russia',
          operator: 'mts',
          offeredSum: 10,
          nowMs,
        });
      const first = await claim(T0);
      const second = await claim(T0 + 1);
      expect([first?.phone, second?.phone]).toEqual(phones);
      expect(await claim(T0 + 2)).toBeNull();
      expect((await reseller.availability()).busyPhones).toEqual(new Set(phones));
      const done = { activationId: first?.operationId ?? -1, status: 3 as const, sum: null, nowMs: T0 + 3 };
      expect(await reseller.finishActivation(done)).toMatchObject({ kind: 'closed', phone: phones[0] });
      expect(await reseller.finishActivation(done)).toMatchObject({ kind: 'repeated', previousStatus: 3 });
      expect(await reseller.finishActivation({ ...done, activationId: 77_777 })).toEqual({ kind: 'unknown' });
      // Sold for vk: not sold for vk again, still free for other services.
      expect(await claim(T0 + 4)).toBeNull();
      expect((await reseller.availability()).spentServices.get(phones[0] ?? '')).toEqual(new Set(['vk']));
      const earnings = await reseller.earnings();
      expect(earnings.find((r) => r.phone === phones[0])).toMatchObject({
        operations: 1,
        sold: 1,
        earned: 10,
      });
      expect((await reseller.listOperations({ activeOnly: true })).map((o) => o.phone)).toEqual([phones[1]]);
      expect(await reseller.simServices()).toEqual([
        { phone: phones[0], service: 'vk', state: 'used', cancels: 0 },
      ]);
    });
  });
});
