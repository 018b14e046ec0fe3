import { afterEach, describe, expect, it } from 'vitest';
import { buildResellerServer } from '../../src/reseller/http/server.js';
import type { SqliteDatabase } from '../../src/store/database.js';
import { SqliteResellerStore } from '../../src/store/reseller-sqlite-store.js';
import { SqliteRepository } from '../../src/store/sqlite-repository.js';
import { API_KEY, liveSimsOf, makeSims, openMigratedDb } from '../reseller/support/harness.js';
import { pushedSmsTo } from './support/pushed-sms.js';

/**
 * The reseller's operations are the ones the push pipeline reads: an SMS to a SIM sold through
 * GET_NUMBER is queued with that `activationId` as `smsId` (CONTRACT.md §4), and once
 * FINISH_ACTIVATION closes the operation its pending pushes stop (pending pushes of a closed
 * operation stop retrying).
 */
describe('reseller operations drive PUSH_SMS', () => {
  let db: SqliteDatabase;
  afterEach(() => db?.close());

  it('queues an SMS to a sold SIM with smsId = activationId, and closes it on FINISH', async () => {
    db = openMigratedDb();
    const repo = new SqliteRepository(db, { clock: () => 5_000 });
    const app = buildResellerServer({
      apiKey: API_KEY,
      store: new SqliteResellerStore(db),
      sims: liveSimsOf(makeSims(3)),
    });
    const call = async (body: Record<string, unknown>) =>
      (await app.inject({ method: 'POST', url: '/', payload: { key: API_KEY, ...body } })).json();

    // An admin operation with Onlinesim's own id first: GET_NUMBER must issue ids above it.
    await repo.createOperation({ id: 355, phone: '79000000002', service: 'vk', source: 'admin' });
    const sold = await call({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
      sum: 9,
    });
    expect(sold).toMatchObject({ status: 'SUCCESS', activationId: 356 });
    const phone = String(sold.number);
    expect(await repo.activeOperationForPhone(phone)).toMatchObject({
      id: 356,
      source: 'reseller',
      service: 'vk',
    });

    const stored = await repo.ingest(pushedSmsTo(phone, 1), 5_000);
    expect(stored.pushId).not.toBeNull();
    const [push] = await repo.claimDue(10_000, 10, 20_000);
    expect(push).toMatchObject({
      operationId: 356,
      body: { smsId: 356, phone, phoneFrom: 'VK', text: 'VK code 1' },
    });
    expect(await repo.isOperationOpen(356)).toBe(true);

    expect(await call({ action: 'FINISH_ACTIVATION', activationId: 356, status: 3, sum: 9 })).toEqual({
      status: 'SUCCESS',
    });
    expect(await repo.isOperationOpen(356)).toBe(false);
    expect(await repo.activeOperationForPhone(phone)).toBeNull();
    // The SIM is free for another service; an SMS now has no operation to go to.
    const later = await repo.ingest(pushedSmsTo(phone, 2), 6_000);
    expect(later.pushId).toBeNull();
    await app.close();
  });
});
