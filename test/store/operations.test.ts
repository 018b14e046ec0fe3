import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock, type TempStore, tempStore } from './support/temp-db.js';

let store: TempStore;
afterEach(() => store?.cleanup());

describe('operations', () => {
  it("creates an active operation and makes it the phone's only active one", async () => {
    const clock = fakeClock(1_000);
    store = tempStore(clock);
    const { repo } = store.open();
    const first = await repo.createOperation({
      id: 355,
      phone: '79088081050',
      service: 'instagram',
      source: 'admin',
    });
    expect(first).toEqual({
      id: 355,
      phone: '79088081050',
      service: 'instagram',
      source: 'admin',
      status: 'active',
      finishStatus: null,
      sum: null,
      createdAtMs: 1_000,
      finishedAtMs: null,
    });
    clock.advance(5);
    const second = await repo.createOperation({
      phone: '79088081050',
      service: 'vk',
      source: 'reseller',
      sum: 4.5,
    });
    expect((await repo.getOperation(355))?.status).toBe('finished');
    expect((await repo.getOperation(355))?.finishedAtMs).toBe(1_005);
    expect((await repo.activeOperationForPhone('79088081050'))?.id).toBe(second.id);
    expect((await repo.listOperations({ activeOnly: true })).map((o) => o.id)).toEqual([second.id]);
    expect((await repo.listOperations()).map((o) => o.id)).toEqual([second.id, 355]);
  });

  it('refuses an id already used, active or finished (409)', async () => {
    store = tempStore();
    const { repo } = store.open();
    await repo.createOperation({ id: 10, phone: '1', service: 'vk', source: 'admin' });
    await expect(
      repo.createOperation({ id: 10, phone: '2', service: 'vk', source: 'admin' }),
    ).rejects.toMatchObject({
      code: 'STORE_OPERATION_ID_USED',
    });
    await repo.endOperation(10);
    await expect(
      repo.createOperation({ id: 10, phone: '1', service: 'vk', source: 'admin' }),
    ).rejects.toMatchObject({
      code: 'STORE_OPERATION_ID_USED',
    });
    await expect(
      repo.createOperation({ id: 0, phone: '1', service: 'vk', source: 'admin' }),
    ).rejects.toMatchObject({
      code: 'STORE_OPERATION_ID_INVALID',
    });
    // The refused calls left the phone's operations untouched.
    expect(await repo.activeOperationForPhone('2')).toBeNull();
  });

  it('issues generated ids above every explicit id, and never reuses one after a restart', async () => {
    store = tempStore();
    const { repo } = store.open();
    expect((await repo.createOperation({ phone: '1', service: 'vk', source: 'reseller' })).id).toBe(1);
    await repo.createOperation({ id: 355, phone: '2', service: 'vk', source: 'admin' });
    const next = await repo.createOperation({ phone: '3', service: 'vk', source: 'reseller' });
    expect(next.id).toBe(356);
    // Even when the highest row is gone, AUTOINCREMENT remembers it.
    repo.database.prepare('DELETE FROM operations WHERE id = 356').run();
    await repo.close();
    const reopened = store.open().repo;
    expect((await reopened.createOperation({ phone: '4', service: 'vk', source: 'reseller' })).id).toBe(357);
  });

  it('ends an operation once; ending it again changes nothing; an unknown id is not found', async () => {
    const clock = fakeClock(50);
    store = tempStore(clock);
    const { repo } = store.open();
    await repo.createOperation({ id: 3, phone: '1', service: 'vk', source: 'reseller', sum: 10 });
    clock.advance(10);
    const ended = await repo.endOperation(3, { finishStatus: 3, sum: 12.5 });
    expect(ended).toMatchObject({ status: 'finished', finishStatus: 3, sum: 12.5, finishedAtMs: 60 });
    clock.advance(10);
    expect(await repo.endOperation(3, { finishStatus: 4 })).toEqual(ended);
    expect(await repo.isOperationOpen(3)).toBe(false);
    await expect(repo.endOperation(999)).rejects.toMatchObject({ code: 'STORE_OPERATION_NOT_FOUND' });
  });
});
