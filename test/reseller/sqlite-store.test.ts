import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import type { SqliteDatabase } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteResellerStore } from '../../src/store/reseller-sqlite-store.js';
import type { ClaimRequest } from '../../src/store/reseller-store.js';
import { endAdminOperation, insertAdminOperation, openMigratedDb, tempDir } from './support/harness.js';

const A = '79000000001';
const B = '79000000002';
const C = '79000000003';

function claim(phones: string[], nowMs: number, service = 'vk'): ClaimRequest {
  return { candidatePhones: phones, service, country: 'russia', operator: 'any', offeredSum: 40, nowMs };
}

describe('SqliteResellerStore', () => {
  let db: SqliteDatabase;
  afterEach(() => db?.close());

  it('opens an operation with a new id and marks the SIM busy until it finishes', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    const first = await store.claimNumber(claim([A], 1000));
    expect(first).toEqual({ operationId: 1, phone: A });
    expect(await store.claimNumber(claim([A], 1001))).toBeNull();
    expect((await store.availability()).busyPhones.has(A)).toBe(true);
    expect(await store.finishActivation({ activationId: 1, status: 4, sum: null, nowMs: 1002 })).toEqual({
      kind: 'closed',
      phone: A,
      service: 'vk',
    });
    expect((await store.availability()).busyPhones.has(A)).toBe(false);
    expect(await store.claimNumber(claim([A], 1003))).toEqual({ operationId: 2, phone: A });
  });

  it('picks the least recently used SIM, never-used first', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    const order: string[] = [];
    for (let t = 0; t < 6; t++) {
      const got = await store.claimNumber(claim([A, B, C], 100 + t));
      if (!got) throw new Error('expected a number');
      order.push(got.phone);
      await store.finishActivation({ activationId: got.operationId, status: 4, sum: null, nowMs: 100 + t });
    }
    // Round robin: each SIM is taken once before any is taken again.
    expect(order.slice(0, 3).sort()).toEqual([A, B, C]);
    expect(order.slice(3)).toEqual(order.slice(0, 3));
  });

  it('counts an admin operation as the SIM being busy and as its last use', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    insertAdminOperation(db, 355, A, 'vk', 50);
    expect(await store.claimNumber(claim([A], 60))).toBeNull();
    endAdminOperation(db, 355, 70);
    // A was used at 50, B never: B goes first, then A.
    expect(await store.claimNumber(claim([A, B], 80))).toEqual({ operationId: 356, phone: B });
    expect(await store.claimNumber(claim([A, B], 81))).toEqual({ operationId: 357, phone: A });
  });

  it('status 3, 1 and 5 retire the (number, service) pair for good, other services stay', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    for (const [status, phone] of [
      [3, A],
      [1, B],
      [5, C],
    ] as const) {
      const got = await store.claimNumber(claim([phone], 10));
      if (!got) throw new Error('expected a number');
      await store.finishActivation({ activationId: got.operationId, status, sum: null, nowMs: 11 });
      expect(await store.claimNumber(claim([phone], 12))).toBeNull();
      expect(await store.claimNumber(claim([phone], 13, 'instagram'))).not.toBeNull();
    }
    const spent = (await store.availability()).spentServices;
    expect([...(spent.get(A) ?? [])]).toEqual(['vk']);
    expect(await store.simServices()).toEqual([
      { phone: A, service: 'vk', state: 'used', cancels: 0 },
      { phone: B, service: 'vk', state: 'never', cancels: 0 },
      { phone: C, service: 'vk', state: 'used', cancels: 0 },
    ]);
  });

  it('status 4 re-offers the pair until the fourth cancel, then retires it', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    for (let cancel = 1; cancel <= 4; cancel++) {
      const got = await store.claimNumber(claim([A], cancel * 10));
      expect(got, `offer ${cancel}`).not.toBeNull();
      await store.finishActivation({
        activationId: got?.operationId ?? 0,
        status: 4,
        sum: null,
        nowMs: cancel * 10 + 1,
      });
    }
    expect(await store.claimNumber(claim([A], 100))).toBeNull();
    expect(await store.simServices()).toEqual([{ phone: A, service: 'vk', state: 'never', cancels: 4 }]);
  });

  it('answers a repeated FINISH as repeated (first verdict wins) and logs an unknown id', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    await store.claimNumber(claim([A], 1));
    await store.finishActivation({ activationId: 1, status: 3, sum: 4.5, nowMs: 2 });
    expect(await store.finishActivation({ activationId: 1, status: 4, sum: null, nowMs: 3 })).toEqual({
      kind: 'repeated',
      phone: A,
      service: 'vk',
      previousStatus: 3,
    });
    expect(await store.finishActivation({ activationId: 999, status: 3, sum: 1, nowMs: 4 })).toEqual({
      kind: 'unknown',
    });
    expect(db.prepare('SELECT activation_id, finish_status FROM unknown_finishes').all()).toEqual([
      { activation_id: 999, finish_status: 3 },
    ]);
    const [op] = await store.listOperations();
    expect(op).toMatchObject({
      id: 1,
      status: 'finished',
      finishStatus: 3,
      sum: 4.5,
      offeredSum: 40,
      finishedAtMs: 2,
    });
  });

  it('records a verdict for an operation the admin API already ended, keeping its end time and sum', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    insertAdminOperation(db, 7, A, 'vk', 1);
    db.prepare('UPDATE operations SET sum = 12.5 WHERE id = 7').run();
    endAdminOperation(db, 7, 5);
    expect((await store.finishActivation({ activationId: 7, status: 3, sum: null, nowMs: 9 })).kind).toBe(
      'recorded',
    );
    const [op] = await store.listOperations();
    expect(op).toMatchObject({
      id: 7,
      status: 'finished',
      finishStatus: 3,
      sum: 12.5,
      finishedAtMs: 5,
      source: 'admin',
    });
    expect(await store.claimNumber(claim([A], 10))).toBeNull();
  });

  it('credits the offered sum on a sale without a FINISH sum, and reports earnings per pair', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    await store.claimNumber(claim([A], 1)); // 1: sold, sum from GET_NUMBER (40)
    await store.finishActivation({ activationId: 1, status: 3, sum: null, nowMs: 2 });
    await store.claimNumber(claim([A], 3, 'instagram')); // 2: sold with FINISH sum 4.5
    await store.finishActivation({ activationId: 2, status: 3, sum: 4.5, nowMs: 4 });
    await store.claimNumber(claim([B], 5)); // 3: cancelled
    await store.finishActivation({ activationId: 3, status: 4, sum: null, nowMs: 6 });
    await store.claimNumber(claim([B], 7)); // 4: still active
    expect(await store.earnings()).toEqual([
      {
        phone: A,
        service: 'instagram',
        operations: 1,
        active: 0,
        sold: 1,
        cancelled: 0,
        refunded: 0,
        notOrdered: 0,
        earned: 4.5,
      },
      {
        phone: A,
        service: 'vk',
        operations: 1,
        active: 0,
        sold: 1,
        cancelled: 0,
        refunded: 0,
        notOrdered: 0,
        earned: 40,
      },
      {
        phone: B,
        service: 'vk',
        operations: 2,
        active: 1,
        sold: 0,
        cancelled: 1,
        refunded: 0,
        notOrdered: 0,
        earned: 0,
      },
    ]);
    expect((await store.listOperations({ activeOnly: true })).map((op) => op.id)).toEqual([4]);
  });

  it('keeps ids and state across a restart, and never repeats an id', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'simbridge.db');
      db = openMigratedDb(path);
      let store = new SqliteResellerStore(db);
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const got = await store.claimNumber(claim([A, B, C], i));
        ids.push(got?.operationId ?? 0);
      }
      await store.finishActivation({ activationId: ids[0] ?? 0, status: 3, sum: null, nowMs: 10 });
      // The newest operation is deleted by hand: AUTOINCREMENT must still not hand its id out again.
      db.prepare('DELETE FROM reseller_operations WHERE operation_id = ?').run(ids[2]);
      db.prepare('DELETE FROM operations WHERE id = ?').run(ids[2]);
      db.close();

      db = openMigratedDb(path);
      store = new SqliteResellerStore(db);
      const busy = (await store.availability()).busyPhones;
      expect(busy.size).toBe(1);
      const soldPhone = (await store.listOperations()).find((op) => op.id === ids[0])?.phone ?? '';
      expect(await store.claimNumber(claim([soldPhone], 20))).toBeNull();
      const next = await store.claimNumber(claim([A, B, C], 21));
      expect(next?.operationId).toBe(4);
      expect(ids).toEqual([1, 2, 3]);
    } finally {
      db.close();
      cleanup();
    }
  });

  it('issues ids above an id the admin API inserted explicitly', async () => {
    db = openMigratedDb();
    const store = new SqliteResellerStore(db);
    insertAdminOperation(db, 5000, C, 'vk');
    expect((await store.claimNumber(claim([A], 1)))?.operationId).toBe(5001);
  });

  it('refuses to start on a database without the reseller tables', () => {
    db = openDatabase(':memory:');
    try {
      new SqliteResellerStore(db);
      expect.unreachable();
    } catch (err) {
      expect(isGatewayError(err) && err.code).toBe('STORE_RESELLER_SCHEMA');
    }
  });
});
