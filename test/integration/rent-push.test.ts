import { afterEach, describe, expect, it } from 'vitest';
import { PushClient } from '../../src/push/push-client.js';
import { PushWorker } from '../../src/push/push-worker.js';
import { buildResellerServer } from '../../src/reseller/http/server.js';
import type { RentOptions } from '../../src/reseller/rent-service.js';
import type { SqliteDatabase } from '../../src/store/database.js';
import type { IngestInput } from '../../src/store/repository.js';
import { SqliteResellerStore } from '../../src/store/reseller-sqlite-store.js';
import type { SqliteRepository } from '../../src/store/sqlite-repository.js';
import { API_KEY, liveSimsOf, makeSims } from '../reseller/support/harness.js';
import { tempStore } from '../store/support/temp-db.js';
import { type MockOnlinesim, type RecordedRequest, startMockOnlinesim } from '../support/mock-onlinesim.js';
import { pushedSmsTo } from './support/pushed-sms.js';
import { waitUntil } from './support/wait.js';

/**
 * A rent's SMS, whatever the sender, go to `onlinesim.pushRentUrl` with the rent's id as smsId,
 * one push each, under PUSH_SMS's answer rules (200 delivered, NO_OPERATION final, anything else
 * again after the retry interval); activations still push to the activation URL; the target of
 * a queued push and the rent itself survive a restart.
 */

const RENT: RentOptions = { services: ['rent'], maxDays: 30, defaultDays: 1, daysField: 'days' };
const RETRY_MS = 60;
const SENDERS = ['Instagram', '+79161234567', 'Bank'] as const;

interface Rig {
  db: SqliteDatabase;
  repo: SqliteRepository;
  worker: PushWorker;
  close(): Promise<void>;
}

describe('rent PUSH_SMS', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function mock(script: (request: RecordedRequest) => { status: number; body?: object }) {
    const server = await startMockOnlinesim({ script: (request) => script(request) });
    cleanups.push(() => server.close());
    return server;
  }

  function rig(store: ReturnType<typeof tempStore>, activation: MockOnlinesim, rent: MockOnlinesim): Rig {
    const { db, repo } = store.open();
    const client = (url: string) =>
      new PushClient({ pushUrl: url, apiKey: API_KEY, timeoutMs: 2_000, connections: 4 });
    const clients = [client(activation.url), client(rent.url)] as const;
    const worker = new PushWorker({
      store: repo,
      client: clients[0],
      rentClient: clients[1],
      apiKey: API_KEY,
      retryDelayMs: RETRY_MS,
      maxAgeMs: 60_000,
      concurrency: 4,
      leaseMs: 6_000,
      idlePollMs: 20,
    });
    return {
      db,
      repo,
      worker,
      async close() {
        await worker.stop();
        await Promise.all(clients.map((c) => c.close()));
        await repo.close();
      },
    };
  }

  function sms(phone: string, n: number, sender: string): IngestInput {
    return pushedSmsTo(phone, n, {
      iccid: null,
      port: '/dev/gsm/0',
      sender,
      text: `code ${n}`,
      receivedAtMs: Date.now(),
    });
  }

  it('pushes three senders to the rent URL once each, handling 200 / 500 / NO_OPERATION, across a restart', async () => {
    const store = tempStore(Date.now);
    cleanups.push(() => store.cleanup());
    const activationUrl = await mock(() => ({ status: 200 }));
    let failedOnce = false;
    const rentUrl = await mock((request) => {
      const from = (request.body as { phoneFrom?: string }).phoneFrom;
      if (from === 'Bank') return { status: 404, body: { status: 'ERROR', error: 'NO_OPERATION' } };
      if (from === '+79161234567' && !failedOnce) {
        failedOnce = true;
        return { status: 500 };
      }
      return { status: 200 };
    });

    let current = rig(store, activationUrl, rentUrl);
    const reseller = () =>
      buildResellerServer({
        apiKey: API_KEY,
        store: new SqliteResellerStore(current.db),
        sims: liveSimsOf(makeSims(2)),
        rent: RENT,
      });
    const call = async (body: Record<string, unknown>) =>
      (await reseller().inject({ method: 'POST', url: '/', payload: { key: API_KEY, ...body } })).json();
    const rent = await call({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'rent',
      sum: 870,
    });
    const act = await call({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
      sum: 9,
    });
    const rentPhone = String(rent.number);
    current.worker.start();
    for (const [n, sender] of SENDERS.entries())
      await current.repo.ingest(sms(rentPhone, n, sender), Date.now());
    await current.repo.ingest(sms(String(act.number), 10, 'VK'), Date.now());

    const settled = () =>
      waitUntil(async () => {
        const stats = await current.repo.stats(Date.now());
        return stats.pushesByState.pending === 0 && stats;
      }, 'every push answered');
    const stats = await settled();
    expect(stats.pushesByState).toMatchObject({ delivered: 3, rejected: 1 });
    const bySender = (server: MockOnlinesim) =>
      server.requests.map((r) => [
        (r.body as { smsId: number }).smsId,
        (r.body as { phoneFrom: string }).phoneFrom,
      ]);
    // 500 is sent again after the retry interval; 200 and NO_OPERATION are final.
    expect(bySender(rentUrl).sort()).toEqual(
      [
        [rent.activationId, 'Instagram'],
        [rent.activationId, '+79161234567'],
        [rent.activationId, '+79161234567'],
        [rent.activationId, 'Bank'],
      ].sort(),
    );
    const retried = rentUrl.requests.filter(
      (r) => (r.body as { phoneFrom: string }).phoneFrom === '+79161234567',
    );
    expect((retried[1]?.atMs ?? 0) - (retried[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(RETRY_MS - 5);
    expect(bySender(activationUrl)).toEqual([[act.activationId, 'VK']]);
    // The body is the seed's, no extra field.
    expect(Object.keys(rentUrl.requests[0]?.body as object)).toEqual([
      'smsId',
      'phoneFrom',
      'phone',
      'text',
      'action',
      'key',
    ]);

    // An SMS queued while the bridge is down still goes to the rent URL after the restart.
    await current.worker.stop();
    await current.repo.ingest(sms(rentPhone, 20, 'Telegram'), Date.now());
    await current.close();
    current = rig(store, activationUrl, rentUrl);
    current.worker.start();
    await waitUntil(() => rentUrl.requests.length === 5, 'the push queued before the restart');
    expect(bySender(rentUrl).at(-1)).toEqual([rent.activationId, 'Telegram']);
    expect(activationUrl.requests).toHaveLength(1);
    const rents = await new SqliteResellerStore(current.db).rents({ activeOnly: true });
    expect(rents).toEqual([expect.objectContaining({ operationId: rent.activationId, smsCount: 4 })]);
    await current.close();
  });
});
