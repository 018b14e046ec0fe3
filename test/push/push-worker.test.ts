import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { startMockOnlinesim } from '../support/mock-onlinesim.js';
import { concurrencyProbe, harness, KEY, RETRY_MS, settled } from './worker-harness.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('PushWorker against a real HTTP server', () => {
  it('500 three times then 200: four identical requests exactly retryDelay apart, then never again', async () => {
    const h = await harness([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 200 }]);
    const push = h.store.add({}, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    for (let n = 2; n <= 4; n++) {
      h.time.fireNext();
      await settled(h, n);
    }
    const starts = h.store.attemptsOf(push.id).map((a) => a.startedAtMs);
    expect(starts.slice(1).map((t, i) => t - (starts[i] ?? 0))).toEqual([RETRY_MS, RETRY_MS, RETRY_MS]);
    expect(h.store.attempts.map((a) => a.httpStatus)).toEqual([500, 500, 500, 200]);
    expect(h.server.requests).toHaveLength(4);
    expect(new Set(h.server.requests.map((r) => r.rawBody)).size).toBe(1);
    expect(h.store.pushes[0]?.state).toBe('delivered');
    expect(h.outcomes.map((o) => o.kind)).toEqual(['retry', 'retry', 'retry', 'delivered']);
    // Idle: only the empty-outbox poll remains, and it sends nothing.
    for (let poll = 0; poll < 3; poll++) {
      h.time.fireNext();
      await settled(h, 4);
    }
    expect(h.server.requests).toHaveLength(4);
  });

  it('sends exactly the seed body and the contract headers', async () => {
    const h = await harness([{ status: 200 }]);
    h.store.add(
      { smsId: 355, phoneFrom: 'Instagram', phone: '79088081050', text: 'Код 800142 «ok»' },
      h.time.nowMs,
    );
    h.worker.start();
    const [request] = await h.server.waitForRequests(1);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/PUSH_SMS');
    expect(request?.rawBody).toBe(
      `{"smsId":355,"phoneFrom":"Instagram","phone":"79088081050","text":"Код 800142 «ok»","action":"PUSH_SMS","key":"${KEY}"}`,
    );
    expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request?.headers['user-agent']).toBe(`simbridge/${VERSION}`);
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it.each([
    ['400 NO_OPERATION', { status: 400, body: { status: 'ERROR', error: 'NO_OPERATION' } }, 'NO_OPERATION'],
    ['404', { status: 404, body: '' }, 'NO_OPERATION'],
    ['500 BAD_SERVICE', { status: 500, body: { status: 'ERROR', error: 'BAD_SERVICE' } }, 'BAD_SERVICE'],
    ['200 IGNORED', { status: 200, body: { status: 'ERROR', error: 'IGNORED' } }, 'IGNORED'],
    ['400 SERVICE_BAN', { status: 400, body: 'SERVICE_BAN' }, 'SERVICE_BAN'],
  ] as const)('%s is final: rejected after one request', async (_name, answer, errorName) => {
    const h = await harness([answer, { status: 200 }]);
    h.store.add({}, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    h.time.fireNext();
    await settled(h, 1);
    expect(h.server.requests).toHaveLength(1);
    expect(h.store.pushes[0]).toMatchObject({ state: 'rejected' });
    expect(h.store.attempts[0]?.errorName).toBe(errorName);
  });

  it.each([
    [
      '429 Retry-After 30',
      { status: 429, headers: { 'retry-after': '30' }, body: { error: 'TOO_MANY_ATTEMPTS' } },
      30_000,
    ],
    ['429 Retry-After 3 waits the 10 s minimum', { status: 429, headers: { 'retry-after': '3' } }, RETRY_MS],
    ['429 without Retry-After', { status: 429 }, RETRY_MS],
    ['connection reset', { reset: true }, RETRY_MS],
  ] as const)('%s -> sent again after the right delay', async (_name, answer, delayMs) => {
    const h = await harness([answer, { status: 200 }]);
    h.store.add({}, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    const first = h.time.nowMs;
    expect(h.store.pushes[0]?.nextAttemptAtMs).toBe(first + delayMs);
    expect(h.time.fireNext()).toBe(first + delayMs);
    await settled(h, 2);
    expect(h.store.attempts[1]?.startedAtMs).toBe(first + delayMs);
    expect(h.store.pushes[0]?.state).toBe('delivered');
  });

  it('connection refused -> retry in 10 s with the network error recorded', async () => {
    const closed = await startMockOnlinesim();
    await closed.close();
    const h = await harness([], { pushUrl: closed.url });
    h.store.add({}, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    expect(h.store.attempts[0]).toMatchObject({ httpStatus: null, errorName: 'PUSH_NETWORK:ECONNREFUSED' });
    expect(h.store.pushes[0]).toMatchObject({ state: 'pending', nextAttemptAtMs: h.time.nowMs + RETRY_MS });
  });

  it('timeout -> retry in 10 s', async () => {
    const h = await harness([{ hang: true }], { timeoutMs: 150 });
    h.store.add({}, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    expect(h.store.attempts[0]?.errorName).toMatch(/^PUSH_TIMEOUT:HEADERS_TIMEOUT/);
    expect(h.store.pushes[0]).toMatchObject({ state: 'pending', nextAttemptAtMs: h.time.nowMs + RETRY_MS });
  });

  it('stops a push whose operation has finished, without a request', async () => {
    const h = await harness([{ status: 500 }]);
    h.store.add({ operationId: 7 }, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    h.store.closedOperations.add(7);
    h.time.fireNext();
    await vi.waitFor(() => expect(h.store.pushes[0]?.state).toBe('stopped'));
    expect(h.server.requests).toHaveLength(1);
    expect(h.outcomes.at(-1)).toMatchObject({ kind: 'stopped', attempt: 1, durationMs: null });
  });

  it('expires a push older than maxAgeMs, without a request', async () => {
    const h = await harness([{ status: 200 }], { maxAgeMs: 60_000 });
    h.store.add({}, h.time.nowMs - 60_000);
    h.worker.start();
    await vi.waitFor(() => expect(h.store.pushes[0]?.state).toBe('expired'));
    expect(h.server.requests).toHaveLength(0);
    expect(h.outcomes).toMatchObject([{ kind: 'expired', ageMs: 60_000 }]);
  });

  it('keeps at most `concurrency` requests in flight and sends each push once', async () => {
    const probe = concurrencyProbe(20);
    const h = await harness(probe.answer, { concurrency: 3 });
    for (let i = 1; i <= 20; i++) h.store.add({ operationId: i }, h.time.nowMs);
    h.worker.start();
    await vi.waitFor(() => expect(h.store.pushes.every((p) => p.state === 'delivered')).toBe(true), {
      timeout: 5_000,
    });
    expect(probe.maxActive).toBe(3);
    expect(h.store.maxClaimLimit).toBeLessThanOrEqual(3);
    const smsIds = h.server.requests.map((r) => (r.body as { smsId: number }).smsId).sort((a, b) => a - b);
    expect(smsIds).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('kick() sends a new push at once, without waiting for a timer', async () => {
    const h = await harness([{ status: 200 }]);
    h.worker.start();
    await settled(h, 0);
    const before = h.time.nowMs;
    h.store.add({}, h.time.nowMs);
    h.worker.kick();
    await h.server.waitForRequests(1);
    await settled(h, 1);
    expect(h.time.nowMs).toBe(before);
  });

  it('claims a push that fell due while the previous claim ran, without waiting for the idle poll', async () => {
    const h = await harness([{ status: 500 }, { status: 200 }], { idlePollMs: 5_000 });
    const push = h.store.add({}, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    // The retry timer fires at T, but the push is due at T + 1 and the claim takes 1 ms: the
    // claim finds nothing, and by the time the worker asks for the next due time it is past.
    const dueAtMs = h.time.nowMs + RETRY_MS + 1;
    const stored = h.store.pushes[0];
    if (stored) stored.nextAttemptAtMs = dueAtMs;
    const claimDue = h.store.claimDue.bind(h.store);
    h.store.claimDue = async (nowMs, limit, leaseUntilMs) => {
      h.store.claimDue = claimDue;
      const due = await claimDue(nowMs, limit, leaseUntilMs);
      h.time.nowMs = Math.max(h.time.nowMs, nowMs + 1);
      return due;
    };
    h.time.fireNext();
    await h.server.waitForRequests(2, 2_000);
    await settled(h, 2);
    expect(h.store.attemptsOf(push.id)[1]?.startedAtMs).toBe(dueAtMs);
  });

  it('counts leases a dead process left in flight and sends those pushes at once', async () => {
    const counts: number[] = [];
    const h = await harness([{ status: 200 }], { onDuplicateWindow: (count) => counts.push(count) });
    const push = h.store.add({}, h.time.nowMs);
    push.leaseUntilMs = h.time.nowMs + 60_000;
    h.worker.start();
    await settled(h, 1);
    expect(counts).toEqual([1]);
    expect(h.store.pushes[0]?.state).toBe('delivered');
  });

  it('retries a failed store write instead of sending the push again', async () => {
    const h = await harness([{ status: 200 }, { status: 200 }]);
    h.store.add({}, h.time.nowMs);
    h.store.failNextRecords = 1;
    h.worker.start();
    await settled(h, 1);
    expect(h.store.pushes[0]?.state).toBe('delivered');
    expect(h.server.requests).toHaveLength(1);
  });

  it('never writes the API key to the log, even at trace level', async () => {
    const closed = await startMockOnlinesim();
    await closed.close();
    const h = await harness([], { pushUrl: closed.url });
    h.store.add({}, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    const h2 = await harness([{ status: 500, body: `echo ${KEY}` }, { status: 404 }, { status: 200 }]);
    h2.store.add({ operationId: 1 }, h2.time.nowMs);
    h2.store.add({ operationId: 2 }, h2.time.nowMs);
    h2.store.add({ operationId: 3 }, h2.time.nowMs);
    h2.worker.start();
    await settled(h2, 3);
    const logs = [...h.logLines, ...h2.logLines].join('');
    expect(logs).toContain('PUSH_SMS delivered');
    expect(logs).toContain('ECONNREFUSED');
    expect(h2.server.requests.every((r) => r.rawBody.includes(KEY))).toBe(true);
    expect(logs).not.toContain(KEY);
  });
});

describe('PushWorker.submit (pushes queued already leased)', () => {
  it('sends a submitted push at once without claiming it', async () => {
    const h = await harness([{ status: 200 }]);
    h.worker.start();
    await settled(h, 0);
    let claims = 0;
    const claimDue = h.store.claimDue.bind(h.store);
    h.store.claimDue = async (...args) => {
      claims++;
      return claimDue(...args);
    };
    h.worker.submit(h.store.addLeased({}, h.time.nowMs, h.time.nowMs + 60_000));
    await h.server.waitForRequests(1);
    await settled(h, 1);
    expect(h.store.pushes[0]?.state).toBe('delivered');
    // The finished push wakes the loop once; that claim finds nothing (the push was never due to it).
    expect(h.server.requests).toHaveLength(1);
    expect(claims).toBeLessThanOrEqual(1);
  });

  it('queues submitted pushes beyond `concurrency`, sends each once and keeps the bound', async () => {
    const probe = concurrencyProbe(10);
    const h = await harness(probe.answer, { concurrency: 2 });
    h.worker.start();
    await settled(h, 0);
    for (let i = 1; i <= 9; i++) {
      h.worker.submit(h.store.addLeased({ operationId: i }, h.time.nowMs, h.time.nowMs + 60_000));
    }
    // A push due to the claim path at the same time waits behind the submitted ones.
    h.store.add({ operationId: 10 }, h.time.nowMs);
    h.worker.kick();
    await vi.waitFor(() => expect(h.store.pushes.every((p) => p.state === 'delivered')).toBe(true), {
      timeout: 5_000,
    });
    expect(probe.maxActive).toBe(2);
    const smsIds = h.server.requests.map((r) => (r.body as { smsId: number }).smsId);
    expect([...smsIds].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(smsIds.indexOf(9)).toBeLessThan(smsIds.indexOf(10));
  });

  it('keeps the bound when pushes are submitted while a claim is running', async () => {
    const probe = concurrencyProbe(10);
    const h = await harness(probe.answer, { concurrency: 2 });
    h.store.add({ operationId: 1 }, h.time.nowMs);
    h.store.add({ operationId: 2 }, h.time.nowMs);
    const claimDue = h.store.claimDue.bind(h.store);
    h.store.claimDue = async (nowMs, limit, leaseUntilMs) => {
      h.store.claimDue = claimDue;
      const due = await claimDue(nowMs, limit, leaseUntilMs);
      // Two ingests commit while the claim is out: their pushes take the free slots first.
      h.worker.submit(h.store.addLeased({ operationId: 3 }, nowMs, nowMs + 60_000));
      h.worker.submit(h.store.addLeased({ operationId: 4 }, nowMs, nowMs + 60_000));
      return due;
    };
    h.worker.start();
    await vi.waitFor(() => expect(h.store.pushes.every((p) => p.state === 'delivered')).toBe(true), {
      timeout: 5_000,
    });
    expect(probe.maxActive).toBe(2);
    expect(h.server.requests).toHaveLength(4);
  });

  it('leaves a waiting push whose lease ran short to the claim path, which sends it once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await harness(
      async () => {
        await gate;
        return { status: 200 };
      },
      { concurrency: 1, leaseMs: 60_000 },
    );
    h.worker.start();
    await settled(h, 0);
    h.worker.submit(h.store.addLeased({ operationId: 1 }, h.time.nowMs, h.time.nowMs + 60_000));
    h.worker.submit(h.store.addLeased({ operationId: 2 }, h.time.nowMs, h.time.nowMs + 60_000));
    await h.server.waitForRequests(1);
    // The first request takes so long that the second's lease has less than half left.
    h.time.nowMs += 40_000;
    release();
    await vi.waitFor(() => expect(h.store.attempts).toHaveLength(1), { timeout: 5_000 });
    expect(h.store.pushes[1]?.state).toBe('pending');
    expect(h.server.requests).toHaveLength(1);
    // Once its lease ends the claim path takes it, leases it again and sends it, once.
    h.time.nowMs += 20_000;
    h.worker.kick();
    await vi.waitFor(() => expect(h.store.pushes[1]?.state).toBe('delivered'), { timeout: 5_000 });
    expect(h.server.requests.map((r) => (r.body as { smsId: number }).smsId)).toEqual([1, 2]);
  });

  it('gives the lease back when it cannot send: not running, or stopped with pushes waiting', async () => {
    const h = await harness(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { status: 200 };
      },
      { concurrency: 1 },
    );
    const early = h.store.addLeased({ operationId: 1 }, h.time.nowMs, h.time.nowMs + 60_000);
    h.worker.submit(early);
    await vi.waitFor(() => expect(h.store.releasedLeases).toEqual([early.id]));
    expect(h.store.pushes[0]?.leaseUntilMs).toBeNull();
    // Sent by the claim path once the worker runs, not counted as a possible duplicate.
    const counts: number[] = [];
    const h2 = await harness([{ status: 200 }], { onDuplicateWindow: (count) => counts.push(count) });
    h2.store.pushes.push(...h.store.pushes.splice(0));
    h2.worker.start();
    await settled(h2, 1);
    expect(counts).toEqual([0]);

    h.worker.start();
    await settled(h, 0);
    const sent = h.store.addLeased({ operationId: 2 }, h.time.nowMs, h.time.nowMs + 60_000);
    const waiting = h.store.addLeased({ operationId: 3 }, h.time.nowMs, h.time.nowMs + 60_000);
    h.worker.submit(sent);
    h.worker.submit(waiting);
    await h.server.waitForRequests(1);
    await h.worker.stop();
    expect(h.store.pushes.find((p) => p.id === sent.id)?.state).toBe('delivered');
    expect(h.store.pushes.find((p) => p.id === waiting.id)).toMatchObject({
      state: 'pending',
      leaseUntilMs: null,
    });
    expect(h.store.releasedLeases).toEqual([early.id, waiting.id]);
    expect(h.server.requests).toHaveLength(1);
  });
});

describe('PushWorker.stop', () => {
  it('lets a request in flight finish and records it', async () => {
    const h = await harness([{ status: 200, delayMs: 100 }], { manualTime: false });
    h.store.add({}, Date.now());
    h.worker.start();
    await h.server.waitForRequests(1);
    await h.worker.stop();
    expect(h.store.pushes[0]?.state).toBe('delivered');
    h.store.add({ operationId: 2 }, Date.now());
    h.worker.kick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.server.requests).toHaveLength(1);
  });

  it('aborts what is still in flight after the grace period and keeps it pending', async () => {
    const h = await harness([{ hang: true }], { manualTime: false, stopGraceMs: 50, timeoutMs: 10_000 });
    h.store.add({}, Date.now());
    h.worker.start();
    await h.server.waitForRequests(1);
    const startedAt = Date.now();
    await h.worker.stop();
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(h.store.pushes[0]?.state).toBe('pending');
    expect(h.store.pushes[0]?.leaseUntilMs).toBeNull();
    expect(h.store.attempts[0]?.errorName).toMatch(/^PUSH_NETWORK/);
  });
});
