import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { ClaimWorkerData } from '../reseller/support/claim-worker.js';
import { openMigratedDb, tempDir } from '../reseller/support/harness.js';

const support = new URL('../reseller/support/', import.meta.url);

/**
 * GET_NUMBER's claim is one BEGIN IMMEDIATE transaction, so even separate connections (threads
 * or processes sharing the database file) never hand out the same SIM or the same id.
 */
describe('GET_NUMBER claims across connections', () => {
  it('4 threads x 25 claims over 10 SIMs: exactly 10 operations, distinct phones and ids', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const dbPath = join(dir, 'simbridge.db');
      openMigratedDb(dbPath).close();
      const phones = Array.from({ length: 10 }, (_, i) => `7900000000${i}`);
      const workers = 4;
      const barrier = new SharedArrayBuffer(8);
      const results = Array.from({ length: workers }, () => {
        const workerData: ClaimWorkerData = {
          module: new URL('claim-worker.ts', support).href,
          dbPath,
          phones,
          attempts: 25,
          barrier,
          workers,
        };
        const worker = new Worker(new URL('worker-boot.mjs', support), { workerData });
        return new Promise<Array<{ operationId: number; phone: string }>>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      });
      const flags = new Int32Array(barrier);
      while (Atomics.load(flags, 0) < workers) await new Promise((r) => setTimeout(r, 5));
      Atomics.store(flags, 1, 1);
      Atomics.notify(flags, 1);
      const claimed = (await Promise.all(results)).flat();
      expect(claimed).toHaveLength(10);
      expect(new Set(claimed.map((c) => c.phone)).size).toBe(10);
      expect(claimed.map((c) => c.operationId).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 10 }, (_, i) => i + 1),
      );
      const db = openMigratedDb(dbPath);
      expect(db.prepare("SELECT COUNT(*) AS n FROM operations WHERE status = 'active'").get()).toEqual({
        n: 10,
      });
      db.close();
    } finally {
      cleanup();
    }
  });
});
