import { afterEach, expect, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { PushClient } from '../../src/push/push-client.js';
import { type PushOutcome, PushWorker, type PushWorkerOptions } from '../../src/push/push-worker.js';
import { type MockOnlinesim, type MockScript, startMockOnlinesim } from '../support/mock-onlinesim.js';
import { ManualTime, MemoryOutbox } from './memory-outbox.js';

/** A PushWorker over a memory outbox, a real PushClient and a scripted mock Onlinesim. */

export const KEY = 'partner-key-9f8e7d6c5b4a';
export const RETRY_MS = 10_000;

export interface Harness {
  server: MockOnlinesim;
  store: MemoryOutbox;
  time: ManualTime;
  worker: PushWorker;
  outcomes: PushOutcome[];
  logLines: string[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function harness(
  script: MockScript,
  options: Partial<PushWorkerOptions> & { timeoutMs?: number; pushUrl?: string; manualTime?: boolean } = {},
): Promise<Harness> {
  const server = await startMockOnlinesim({ script });
  cleanups.push(() => server.close());
  const client = new PushClient({
    pushUrl: options.pushUrl ?? server.url,
    apiKey: KEY,
    timeoutMs: options.timeoutMs ?? 2_000,
    connections: 8,
  });
  cleanups.push(() => client.close());
  const store = new MemoryOutbox();
  const time = new ManualTime();
  const outcomes: PushOutcome[] = [];
  const logLines: string[] = [];
  const log = createLogger({ level: 'trace', destination: { write: (line: string) => logLines.push(line) } });
  const manual = options.manualTime ?? true;
  const worker = new PushWorker({
    store,
    client,
    apiKey: KEY,
    retryDelayMs: RETRY_MS,
    maxAgeMs: 86_400_000,
    concurrency: 8,
    leaseMs: 60_000,
    log,
    onOutcome: (outcome) => outcomes.push(outcome),
    ...(manual ? { clock: time.clock, timers: time.timers } : {}),
    ...options,
  });
  cleanups.push(() => worker.stop());
  return { server, store, time, worker, outcomes, logLines };
}

/** A server answer that takes `delayMs` and records the most requests it ever had at once. */
export function concurrencyProbe(delayMs: number) {
  let active = 0;
  const probe = {
    maxActive: 0,
    answer: async () => {
      active++;
      probe.maxActive = Math.max(probe.maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      active--;
      return { status: 200 };
    },
  };
  return probe;
}

/** The worker has recorded `attempts` attempts, nothing is in flight, and it sleeps on a timer. */
export async function settled(h: Harness, attempts: number): Promise<void> {
  await vi.waitFor(
    () => {
      expect(h.store.attempts).toHaveLength(attempts);
      expect(h.worker.inFlight).toBe(0);
      expect(h.time.pendingTimers).toBe(1);
    },
    { timeout: 5_000, interval: 2 },
  );
}
