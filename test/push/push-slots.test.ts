import { describe, expect, it, vi } from 'vitest';
import type { PushAttemptRecord } from '../../src/push/types.js';
import { harness } from './worker-harness.js';

describe('PushWorker slots', () => {
  it('a slot frees when the answer arrives: the next request does not wait for the last commit', async () => {
    const h = await harness([{ status: 200 }, { status: 200 }], { concurrency: 1 });
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const record = h.store.recordDelivered.bind(h.store);
    h.store.recordDelivered = async (attempt: PushAttemptRecord) => {
      await gate; // a slow commit (an fsync on a busy disk)
      return record(attempt);
    };
    h.store.add({ operationId: 1 }, h.time.nowMs);
    h.store.add({ operationId: 2 }, h.time.nowMs);
    h.worker.start();
    // Both requests reach the server while the first answer is still not committed.
    await h.server.waitForRequests(2);
    expect(h.store.attempts).toHaveLength(0);
    openGate();
    await vi.waitFor(() => expect(h.store.pushes.every((p) => p.state === 'delivered')).toBe(true));
    expect(h.store.attempts).toHaveLength(2);
    await vi.waitFor(() => expect(h.worker.inFlight).toBe(0));
  });
});
