import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PushHttpAnswer } from '../../src/push/classify-answer.js';
import { type PushTimers, PushWorker, type PushWorkerOptions } from '../../src/push/push-worker.js';
import type { PendingPush, PushSmsBody } from '../../src/push/types.js';
import { deliverPdu } from './support/deliver-pdu.js';
import { type BridgeHarness, bridgeHarness, PHONE, stored } from './support/harness.js';

/*
 * Pushes queued "born leased": the ingest (or group close) transaction leases the push it queues
 * to this process and hands it over, so the worker sends it with no claim commit first.
 */

const LEASE_MS = 30_000;

let h: BridgeHarness;
let worker: PushWorker | null = null;
afterEach(async () => {
  await worker?.stop();
  worker = null;
  h?.cleanup();
});

/** Timers that never fire: the worker moves only on kicks and submits. */
const idleTimers: PushTimers = { setTimeout: () => 0, clearTimeout: () => {} };

function recordingServer(): { sent: PushSmsBody[]; send(body: PushSmsBody): Promise<PushHttpAnswer> } {
  const sent: PushSmsBody[] = [];
  return {
    sent,
    send(body) {
      sent.push(body);
      return Promise.resolve({ status: 200, headers: {}, bodyText: '{"status":"SUCCESS"}' });
    },
  };
}

function startWorker(
  server: ReturnType<typeof recordingServer>,
  extra: Partial<PushWorkerOptions> = {},
): PushWorker {
  const w = new PushWorker({
    store: h.repo,
    client: server,
    apiKey: 'k',
    retryDelayMs: 10_000,
    maxAgeMs: 86_400_000,
    concurrency: 4,
    leaseMs: LEASE_MS,
    clock: h.clock,
    timers: idleTimers,
    ...extra,
  });
  w.start();
  return w;
}

/** A harness whose pipeline leases pushes and records what it hands over, in order. */
function leasingHarness(events: string[], handed: Array<PendingPush | null>): BridgeHarness {
  return bridgeHarness({
    pushLeaseMs: LEASE_MS,
    multipartTimeoutMs: 60_000,
    onPushQueued: (push) => {
      handed.push(push);
      events.push('push handed over');
      if (push !== null) worker?.submit(push);
    },
  });
}

const single = (text: string) => stored(deliverPdu({ sender: 'Instagram', text }));
const part = (sequence: number, text: string) =>
  deliverPdu({ sender: 'Instagram', text, concat: { reference: 7, total: 2, sequence } });

describe('pushes queued already leased', () => {
  it('hands the leased push over before accept resolves (so before the delete), and it is sent once without a claim', async () => {
    const events: string[] = [];
    const handed: Array<PendingPush | null> = [];
    h = leasingHarness(events, handed);
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    const server = recordingServer();
    worker = startWorker(server);
    const claimDue = vi.spyOn(h.repo, 'claimDue');
    await h.pipeline.accept(single('Your code is 800142'));
    events.push('accepted');
    expect(events).toEqual(['push handed over', 'accepted']);
    expect(handed).toMatchObject([{ operationId: 355, attempts: 0, leaseUntilMs: h.clock() + LEASE_MS }]);
    await vi.waitFor(async () => expect((await h.repo.listMessages())[0]?.status).toBe('delivered'));
    expect(server.sent.map((b) => b.text)).toEqual(['Your code is 800142']);
    // Whatever the loop claimed afterwards, it never got this push.
    for (const result of claimDue.mock.results) expect(await result.value).toEqual([]);
  });

  it('the push of a completed multipart group and of one closed by the timeout take the same path', async () => {
    const events: string[] = [];
    const handed: Array<PendingPush | null> = [];
    h = leasingHarness(events, handed);
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    const server = recordingServer();
    worker = startWorker(server);
    await h.pipeline.accept(stored(part(2, 'world'), 2));
    await h.pipeline.accept(stored(part(1, 'hello '), 1));
    expect(handed).toMatchObject([{ body: { text: 'hello world' } }]);
    await h.pipeline.accept(
      stored(
        deliverPdu({ sender: 'Bank', text: 'half', concat: { reference: 9, total: 2, sequence: 1 } }),
        3,
      ),
    );
    h.clock.advance(60_000);
    expect(await h.pipeline.closeOverdueGroups()).toBe(1);
    expect(handed).toMatchObject([{ body: { text: 'hello world' } }, { body: { text: 'half' } }]);
    expect(handed.every((push) => push !== null && push.leaseUntilMs !== undefined)).toBe(true);
    await vi.waitFor(() => expect(server.sent.map((b) => b.text).sort()).toEqual(['half', 'hello world']));
  });

  it('a push leased by a process that died before sending it is sent once after the restart', async () => {
    const events: string[] = [];
    const handed: Array<PendingPush | null> = [];
    h = leasingHarness(events, handed);
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    await h.pipeline.accept(single('Your code is 800142')); // no worker: nobody sent it
    expect(handed).toHaveLength(1);
    h.restart(); // kill -9
    const counts: number[] = [];
    const server = recordingServer();
    worker = startWorker(server, { onDuplicateWindow: (count) => counts.push(count) });
    await vi.waitFor(async () => expect((await h.repo.listMessages())[0]?.status).toBe('delivered'));
    expect(counts).toEqual([1]);
    expect(server.sent).toHaveLength(1);
  });

  it('without pushLeaseMs nothing is leased and the worker claims the push as before', async () => {
    const handed: Array<PendingPush | null> = [];
    h = bridgeHarness({ onPushQueued: (push) => handed.push(push) });
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    await h.pipeline.accept(single('Your code is 800142'));
    expect(handed).toEqual([null]);
    expect((await h.repo.claimDue(h.clock(), 5, h.clock() + LEASE_MS)).map((p) => p.body.text)).toEqual([
      'Your code is 800142',
    ]);
  });
});
