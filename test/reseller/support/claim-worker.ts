/**
 * Worker thread: its own connection to the database file, waits at a shared barrier so every
 * worker starts at once, then tries `attempts` GET_NUMBER claims and reports what it got.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../../src/store/database.js';
import { SqliteResellerStore } from '../../../src/store/reseller-sqlite-store.js';

export interface ClaimWorkerData {
  module: string;
  dbPath: string;
  phones: string[];
  attempts: number;
  /** Int32Array over a SharedArrayBuffer: [ready count, go flag]. */
  barrier: SharedArrayBuffer;
  workers: number;
}

const data = workerData as ClaimWorkerData;
const db = openDatabase(data.dbPath);
const store = new SqliteResellerStore(db);
const barrier = new Int32Array(data.barrier);
Atomics.add(barrier, 0, 1);
Atomics.notify(barrier, 0);
Atomics.wait(barrier, 1, 0);

const claimed: Array<{ operationId: number; phone: string }> = [];
for (let i = 0; i < data.attempts; i++) {
  const got = await store.claimNumber({
    candidatePhones: data.phones,
    service: 'vk',
    country: 'russia',
    operator: 'any',
    offeredSum: 1,
    nowMs: Date.now(),
  });
  if (got) claimed.push(got);
}
db.close();
parentPort?.postMessage(claimed);
