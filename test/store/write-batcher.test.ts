import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WriteBatcher } from '../../src/store/write-batcher.js';
import { type TempStore, tempStore } from './support/temp-db.js';

let store: TempStore;
afterEach(() => store?.cleanup());

const countOn = (db: Database.Database): number =>
  (db.prepare("SELECT COUNT(*) AS n FROM counters WHERE name LIKE 't%'").get() as { n: number }).n;

describe('WriteBatcher', () => {
  it('runs units queued in one tick in one transaction and settles each only after the commit', async () => {
    store = tempStore();
    const { db } = store.open();
    const reader = new Database(store.path, { readonly: true });
    const batcher = new WriteBatcher(db);
    const insert = (name: string) => () =>
      db.prepare('INSERT INTO counters (name, value) VALUES (?, 1)').run(name);
    const seenByReaderDuringLastUnit: number[] = [];
    const settledCounts: number[] = [];
    const units = [
      batcher.run(insert('t1')),
      batcher.run(insert('t2')),
      batcher.run(() => {
        insert('t3')();
        // Another connection sees nothing yet: t1 and t2 are in the same open transaction.
        seenByReaderDuringLastUnit.push(countOn(reader));
      }),
    ].map((p) => p.then(() => settledCounts.push(countOn(reader))));
    expect(batcher.queued).toBe(3);
    await Promise.all(units);
    expect(seenByReaderDuringLastUnit).toEqual([0]);
    expect(settledCounts).toEqual([3, 3, 3]);
    reader.close();
  });

  it('rolls back a failing unit alone and rejects it with its error kept as the cause', async () => {
    store = tempStore();
    const { db } = store.open();
    const batcher = new WriteBatcher(db);
    const ok = batcher.run(() => db.prepare("INSERT INTO counters (name, value) VALUES ('t-ok', 1)").run());
    const bad = batcher.run(() => {
      db.prepare("INSERT INTO counters (name, value) VALUES ('t-bad', 1)").run();
      throw new RangeError('boom');
    });
    await expect(ok).resolves.toBeDefined();
    await expect(bad).rejects.toMatchObject({ code: 'STORE_FAILED', cause: expect.any(RangeError) });
    expect(db.prepare("SELECT name FROM counters WHERE name LIKE 't-%'").pluck().all()).toEqual(['t-ok']);
  });

  it('wraps a SQLite driver error as STORE_FAILED, whose SQLITE_* code is not a product code', async () => {
    store = tempStore();
    const { db } = store.open();
    const batcher = new WriteBatcher(db);
    const insert = () => db.prepare("INSERT INTO counters (name, value) VALUES ('t-dup', 1)").run();
    await batcher.run(insert);
    const err: unknown = await batcher.run(insert).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_FAILED', cause: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } });
  });

  it('splits a long queue into batches of maxBatch', async () => {
    store = tempStore();
    const { db } = store.open();
    const reader = new Database(store.path, { readonly: true });
    const batcher = new WriteBatcher(db, { maxBatch: 2 });
    const committedBefore: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        batcher.run(() => {
          committedBefore.push(countOn(reader));
          db.prepare('INSERT INTO counters (name, value) VALUES (?, 1)').run(`t${i}`);
          return i;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4]);
    // Units 0-1, 2-3 and 4 each saw only the earlier batches' commits.
    expect(committedBefore).toEqual([0, 0, 2, 2, 4]);
    reader.close();
  });

  it('wraps its transactions once, not once per batch or per unit', async () => {
    store = tempStore();
    const { db } = store.open();
    const batcher = new WriteBatcher(db, { maxBatch: 2 });
    const wrap = vi.spyOn(db, 'transaction');
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        batcher.run(() => db.prepare('INSERT INTO counters (name, value) VALUES (?, 1)').run(`t${i}`)),
      ),
    );
    await batcher.run(() => db.prepare("INSERT INTO counters (name, value) VALUES ('t-next', 1)").run());
    expect(wrap).not.toHaveBeenCalled();
    expect(countOn(db)).toBe(6);
  });

  it("keeps a unit's own nested transaction and rolls it back with the unit, batch after batch", async () => {
    store = tempStore();
    const { db } = store.open();
    const batcher = new WriteBatcher(db, { immediate: true });
    const insert = (name: string) => db.prepare('INSERT INTO counters (name, value) VALUES (?, 1)').run(name);
    for (let round = 0; round < 2; round++) {
      const kept = batcher.run(() => db.transaction(() => insert(`t-kept-${round}`))());
      const undone = batcher.run(() => {
        db.transaction(() => insert(`t-undone-${round}`))();
        throw new RangeError('after the nested commit');
      });
      await expect(kept).resolves.toBeDefined();
      await expect(undone).rejects.toMatchObject({ code: 'STORE_FAILED' });
      expect(db.inTransaction).toBe(false);
    }
    expect(db.prepare("SELECT name FROM counters WHERE name LIKE 't-%' ORDER BY name").pluck().all()).toEqual(
      ['t-kept-0', 't-kept-1'],
    );
  });
});
