import { describe, expect, it } from 'vitest';
import { rentsAtRisk, withRentDetails } from '../../src/reseller/rent-view.js';
import { SqliteResellerStore } from '../../src/store/reseller-sqlite-store.js';
import { SqliteRepository } from '../../src/store/sqlite-repository.js';
import { makeSims, openMigratedDb } from './support/harness.js';

/** Rent details on the operations list, and rents whose SIM has gone. */
describe('rent views', () => {
  it('marks rents, their end, SMS and risk on the operations list; activations get kind only', async () => {
    const db = openMigratedDb();
    try {
      const store = new SqliteResellerStore(db);
      const repo = new SqliteRepository(db, { clock: () => 5 });
      const sims = makeSims(3);
      const claim = (phone: string, rent: boolean) =>
        store.claimNumber({
          candidatePhones: [phone],
          service: rent ? 'rent' : 'vk',
          country: 'russia',
          operator: 'mts',
          offeredSum: 1,
          nowMs: 1_000,
          ...(rent ? { rent: { days: 3, expiresAtMs: 9_000 } } : {}),
        });
      const [a, b, c] = sims.map((s) => s.phone) as [string, string, string];
      await claim(a, true);
      await claim(b, true);
      await claim(c, false);
      // b's modem is unplugged.
      const live = sims.map((s) => (s.phone === b ? { ...s, online: false } : s));
      const listed = await withRentDetails(
        await repo.listOperations({ activeOnly: true, limit: 10 }),
        store,
        async () => live,
      );
      expect(listed.map((op) => [op.id, op.kind, op.rent?.atRisk ?? null])).toEqual([
        [3, 'activation', null],
        [2, 'rent', true],
        [1, 'rent', false],
      ]);
      expect(listed[2]?.rent).toEqual({
        days: 3,
        rentedUntilMs: 9_000,
        smsCount: 0,
        sum: null,
        endReason: null,
        atRisk: false,
      });
      expect(rentsAtRisk(await store.rents({ activeOnly: true }), live)).toEqual([
        { operationId: 2, phone: b, rentedUntilMs: 9_000, smsCount: 0 },
      ]);
      // A host that went silent drops its SIMs from the farm's live list: the rent is at risk too.
      expect(rentsAtRisk(await store.rents({ activeOnly: true }), [])).toHaveLength(2);
    } finally {
      db.close();
    }
  });
});
