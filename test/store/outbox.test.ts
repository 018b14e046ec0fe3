import { afterEach, describe, expect, it } from 'vitest';
import type { PushAttemptRecord } from '../../src/push/types.js';
import type { MessageInput } from '../../src/store/repository.js';
import type { SqliteRepository } from '../../src/store/sqlite-repository.js';
import { type TempStore, tempStore } from './support/temp-db.js';

let store: TempStore;
afterEach(() => store?.cleanup());

const T0 = 1_000_000;

function message(n: number): MessageInput {
  return {
    simKey: 'sim-1',
    iccid: null,
    imsi: null,
    port: 'p',
    phone: '79088081050',
    storage: 'SM',
    storageIndex: n,
    rawPdu: `00${n}`,
    rawText: null,
    dedupeKey: `key-${n}`,
    sender: 'Instagram',
    senderType: 'alphanumeric',
    text: `code ${n}`,
    encoding: 'gsm7',
    scTimestamp: null,
    receivedAtMs: T0,
  };
}

async function queuePushes(repo: SqliteRepository, count: number): Promise<number[]> {
  await repo.createOperation({ id: 355, phone: '79088081050', service: 'vk', source: 'admin', nowMs: T0 });
  const ids: number[] = [];
  for (let n = 0; n < count; n += 1) {
    const r = await repo.ingest(
      { kind: 'single', message: message(n), route: { kind: 'push', phone: '79088081050' } },
      T0 + n,
    );
    if (r.pushId === null) throw new Error('no push queued');
    ids.push(r.pushId);
  }
  return ids;
}

function attempt(
  pushId: number,
  n: number,
  httpStatus: number | null,
  errorName: string | null,
): PushAttemptRecord {
  return {
    pushId,
    attempt: n,
    startedAtMs: T0 + 100,
    finishedAtMs: T0 + 200,
    httpStatus,
    errorName,
    responseSnippet: 'x'.repeat(600),
  };
}

describe('OutboxStore on SQLite', () => {
  it('claims due pushes oldest first and leases them against a second claimer', async () => {
    store = tempStore();
    const { repo } = store.open();
    const [a, b, c] = await queuePushes(repo, 3);
    const claimed = await repo.claimDue(T0 + 1, 10, T0 + 30_000);
    expect(claimed.map((p) => p.id)).toEqual([a, b]); // c is due at T0 + 2
    expect(claimed[0]).toMatchObject({
      operationId: 355,
      attempts: 0,
      body: { smsId: 355, phoneFrom: 'Instagram', phone: '79088081050', text: 'code 0' },
    });
    expect((await repo.claimDue(T0 + 5, 10, T0 + 30_000)).map((p) => p.id)).toEqual([c]);
    expect(await repo.claimDue(T0 + 10, 10, T0 + 30_000)).toEqual([]);
    expect(await repo.nextDueAtMs()).toBe(T0 + 30_000);
    // An expired lease (the worker died mid-attempt) makes them claimable again.
    expect((await repo.claimDue(T0 + 30_000, 1, T0 + 60_000)).map((p) => p.id)).toEqual([a]);
  });

  it('retries: records the attempt, moves the due time, keeps it pending; then delivered', async () => {
    store = tempStore();
    const { repo } = store.open();
    const [id] = (await queuePushes(repo, 1)) as [number];
    await repo.claimDue(T0, 1, T0 + 30_000);
    await repo.recordRetry(attempt(id, 1, 500, null), T0 + 10_200);
    expect(await repo.nextDueAtMs()).toBe(T0 + 10_200);
    expect(await repo.claimDue(T0 + 10_199, 5, T0 + 40_000)).toEqual([]);
    const [again] = await repo.claimDue(T0 + 10_200, 5, T0 + 40_000);
    expect(again?.attempts).toBe(1);
    await repo.recordDelivered(attempt(id, 2, 200, null));
    expect(await repo.nextDueAtMs()).toBeNull();
    const view = (await repo.listMessages())[0];
    expect(view).toMatchObject({ status: 'delivered', push: { state: 'delivered', attempts: 2 } });
    const attempts = repo.database
      .prepare('SELECT attempt, http_status, length(response_snippet) AS len FROM push_attempts ORDER BY id')
      .all();
    expect(attempts).toEqual([
      { attempt: 1, http_status: 500, len: 512 },
      { attempt: 2, http_status: 200, len: 512 },
    ]);
    // A late retry record (a worker that lost its lease) cannot reopen a delivered push.
    await repo.recordRetry(attempt(id, 3, 500, null), T0 + 99_000);
    expect(await repo.nextDueAtMs()).toBeNull();
  });

  it('rejected, expired and stopped are final and the message follows', async () => {
    store = tempStore();
    const { repo } = store.open();
    const [r, e, s] = (await queuePushes(repo, 3)) as [number, number, number];
    await repo.recordRejected(attempt(r, 1, 404, 'NO_OPERATION'), 'NO_OPERATION');
    await repo.endWithoutAttempt(e, 'expired', 'max age 24 h', T0 + 5);
    await repo.endWithoutAttempt(s, 'stopped', 'operation finished', T0 + 6);
    await repo.endWithoutAttempt(r, 'expired', 'too late', T0 + 7); // no effect: already final
    expect(await repo.claimDue(T0 + 1e9, 10, T0 + 2e9)).toEqual([]);
    const byText = Object.fromEntries(
      (await repo.listMessages()).map((m) => [m.text, [m.status, m.push?.state]]),
    );
    expect(byText).toEqual({
      'code 0': ['rejected', 'rejected'],
      'code 1': ['expired', 'expired'],
      'code 2': ['no_operation', 'stopped'],
    });
    const stats = await repo.stats(T0 + 10);
    expect(stats.pushesByState).toMatchObject({ rejected: 1, expired: 1, stopped: 1, pending: 0 });
    expect(stats.outboxDepth).toBe(0);
  });

  it('a 200 after the push was stopped still counts as delivered (the peer has it)', async () => {
    store = tempStore();
    const { repo } = store.open();
    const [id] = (await queuePushes(repo, 1)) as [number];
    await repo.claimDue(T0, 1, T0 + 30_000);
    await repo.endWithoutAttempt(id, 'stopped', 'operation finished', T0 + 50);
    await repo.recordDelivered(attempt(id, 1, 200, null));
    expect((await repo.listMessages())[0]?.status).toBe('delivered');
  });

  it('reports outbox depth and the oldest pending age for metrics', async () => {
    store = tempStore();
    const { repo } = store.open();
    await queuePushes(repo, 2);
    const stats = await repo.stats(T0 + 60_000);
    expect(stats).toMatchObject({ outboxDepth: 2, oldestPendingAgeMs: 60_000, activeOperations: 1 });
    expect(stats.messagesByStatus.pending).toBe(2);
    await expect(repo.checkWritable()).resolves.toBeUndefined();
  });

  it('resumes pending pushes after a restart, at their due time', async () => {
    store = tempStore();
    const first = store.open().repo;
    const [id] = (await queuePushes(first, 1)) as [number];
    await first.claimDue(T0, 1, T0 + 30_000);
    await first.recordRetry(attempt(id, 1, null, 'ECONNREFUSED'), T0 + 10_000);
    await first.close();
    const repo = store.open().repo;
    expect(await repo.nextDueAtMs()).toBe(T0 + 10_000);
    expect((await repo.claimDue(T0 + 10_000, 5, T0 + 40_000)).map((p) => [p.id, p.attempts])).toEqual([
      [id, 1],
    ]);
    await expect(repo.recordDelivered({ ...attempt(999, 1, 200, null) })).rejects.toMatchObject({
      code: 'STORE_PUSH_NOT_FOUND',
    });
  });
});

describe('abandoned leases', () => {
  it('clears leases a dead process left, counts them as the duplicate window, and they are due at once', async () => {
    store = tempStore();
    const first = store.open().repo;
    const [a, b] = (await queuePushes(first, 2)) as [number, number];
    await first.claimDue(T0 + 1, 2, T0 + 30_000);
    await first.recordDelivered(attempt(a, 1, 200, null)); // b was in flight when the process died
    first.database.close();
    const repo = store.open().repo;
    expect(await repo.releaseAbandonedLeases(T0 + 2)).toBe(1);
    expect((await repo.claimDue(T0 + 2, 5, T0 + 40_000)).map((p) => p.id)).toEqual([b]);
    expect((await repo.stats(T0 + 2)).counters.duplicate_window).toBe(1);
    expect(await repo.releaseAbandonedLeases(T0 + 3)).toBe(1); // claimed again just now, then "died"
  });
});

describe('pushes queued already leased (born leased)', () => {
  const route = { kind: 'push', phone: '79088081050' } as const;

  it('leases the push in the ingest transaction and returns it; no claim takes it until the lease ends', async () => {
    store = tempStore();
    const { repo } = store.open();
    await repo.createOperation({ id: 355, phone: '79088081050', service: 'vk', source: 'admin', nowMs: T0 });
    const result = await repo.ingest({ kind: 'single', message: message(1), route }, T0, {
      leaseUntilMs: T0 + 30_000,
    });
    expect(result.leasedPush).toEqual({
      id: result.pushId,
      messageId: result.messageId,
      operationId: 355,
      body: { smsId: 355, phoneFrom: 'Instagram', phone: '79088081050', text: 'code 1' },
      attempts: 0,
      createdAtMs: T0,
      nextAttemptAtMs: T0,
      leaseUntilMs: T0 + 30_000,
    });
    expect(await repo.claimDue(T0 + 29_999, 5, T0 + 60_000)).toEqual([]);
    expect(await repo.nextDueAtMs()).toBe(T0 + 30_000);
    expect((await repo.claimDue(T0 + 30_000, 5, T0 + 60_000)).map((p) => p.id)).toEqual([result.pushId]);
  });

  it('a duplicate read or an unrouted message leases nothing', async () => {
    store = tempStore();
    const { repo } = store.open();
    await repo.createOperation({ id: 355, phone: '79088081050', service: 'vk', source: 'admin', nowMs: T0 });
    const lease = { leaseUntilMs: T0 + 30_000 };
    await repo.ingest({ kind: 'single', message: message(1), route }, T0, lease);
    const again = await repo.ingest({ kind: 'single', message: message(1), route }, T0 + 1, lease);
    const unrouted = await repo.ingest(
      { kind: 'single', message: message(2), route: { kind: 'no_phone' } },
      T0 + 2,
      lease,
    );
    expect([again.duplicate, again.leasedPush, unrouted.leasedPush]).toEqual([true, undefined, undefined]);
  });

  it('a process that dies holding one leaves it to the next start (duplicate window); one given back is not counted', async () => {
    store = tempStore();
    const first = store.open().repo;
    await first.createOperation({ id: 355, phone: '79088081050', service: 'vk', source: 'admin', nowMs: T0 });
    const lease = { leaseUntilMs: T0 + 30_000 };
    const held = await first.ingest({ kind: 'single', message: message(1), route }, T0, lease);
    const givenBack = await first.ingest({ kind: 'single', message: message(2), route }, T0, lease);
    await first.releaseLeases([givenBack.pushId ?? -1]);
    expect((await first.claimDue(T0 + 1, 5, T0 + 40_000)).map((p) => p.id)).toEqual([givenBack.pushId]);
    await first.recordDelivered(attempt(givenBack.pushId ?? -1, 1, 200, null));
    first.database.close();
    const repo = store.open().repo;
    expect(await repo.releaseAbandonedLeases(T0 + 2)).toBe(1);
    expect((await repo.claimDue(T0 + 2, 5, T0 + 40_000)).map((p) => p.id)).toEqual([held.pushId]);
    expect((await repo.stats(T0 + 2)).counters.duplicate_window).toBe(1);
  });
});

describe('write batching', () => {
  it('isolates a failing unit: the others in the same transaction commit', async () => {
    store = tempStore();
    const { repo } = store.open();
    await repo.createOperation({ id: 1, phone: 'a', service: 'vk', source: 'admin' });
    const results = await Promise.allSettled([
      repo.createOperation({ id: 2, phone: 'b', service: 'vk', source: 'admin' }),
      repo.createOperation({ id: 1, phone: 'c', service: 'vk', source: 'admin' }),
      repo.createOperation({ id: 3, phone: 'd', service: 'vk', source: 'admin' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await repo.listOperations()).map((o) => o.id)).toEqual([3, 2, 1]);
  });
});
