import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PushHttpAnswer } from '../../src/push/classify-answer.js';
import { type PushTimers, PushWorker } from '../../src/push/push-worker.js';
import type { PushSmsBody } from '../../src/push/types.js';
import { deliverPdu } from './support/deliver-pdu.js';
import { type BridgeHarness, bridgeHarness, PHONE, stored } from './support/harness.js';

let h: BridgeHarness;
let worker: PushWorker | null = null;
afterEach(async () => {
  await worker?.stop();
  worker = null;
  h?.cleanup();
});

/** Timers that never fire: the worker's waits end only by a kick or stop, so no real time passes. */
function manualTimers(): PushTimers {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout(callback) {
      next += 1;
      pending.set(next, callback);
      return next;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
}

function scriptedServer(statuses: number[]): {
  sent: PushSmsBody[];
  send(body: PushSmsBody): Promise<PushHttpAnswer>;
} {
  const sent: PushSmsBody[] = [];
  return {
    sent,
    send(body) {
      sent.push(body);
      const status = statuses.shift() ?? 200;
      return Promise.resolve({
        status,
        headers: {},
        bodyText: status === 200 ? '{"status":"SUCCESS"}' : 'oops',
      });
    },
  };
}

function startWorker(server: ReturnType<typeof scriptedServer>, timers: PushTimers): PushWorker {
  const w = new PushWorker({
    store: h.repo,
    client: server,
    apiKey: 'k',
    retryDelayMs: 10_000,
    maxAgeMs: 86_400_000,
    concurrency: 4,
    leaseMs: 30_000,
    clock: h.clock,
    timers,
  });
  w.start();
  return w;
}

describe('ingest to PUSH_SMS across a restart', () => {
  it('retries after 10 s from the stored schedule after a restart and delivers exactly once', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    await h.pipeline.accept(stored(deliverPdu({ sender: 'Instagram', text: 'Your code is 800142' })));
    const server = scriptedServer([500]);
    const timers = manualTimers();
    worker = startWorker(server, timers);
    await vi.waitFor(async () => expect((await h.repo.listMessages())[0]?.push?.attempts).toBe(1));
    expect(await h.repo.nextDueAtMs()).toBe(h.clock() + 10_000);
    await worker.stop();
    worker = null;

    h.restart(); // e.g. kill -9 while waiting for the retry
    // The same SMS is read from the SIM again: no second message, no second push.
    await h.pipeline.accept(stored(deliverPdu({ sender: 'Instagram', text: 'Your code is 800142' }), 7));
    h.clock.advance(10_000);
    worker = startWorker(server, manualTimers());
    await vi.waitFor(async () => expect((await h.repo.listMessages())[0]?.status).toBe('delivered'));
    expect(server.sent).toHaveLength(2);
    expect(server.sent[1]).toEqual(server.sent[0]);
    expect(server.sent[0]).toEqual({
      smsId: 355,
      phoneFrom: 'Instagram',
      phone: PHONE,
      text: 'Your code is 800142',
      action: 'PUSH_SMS',
      key: 'k',
    });
  });
});
