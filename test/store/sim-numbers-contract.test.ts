import { afterEach, describe, expect, it } from 'vitest';
import { BACKENDS, type StoreHandle } from './support/backends.js';

const ICCID = '8970101123456789012';
const FOUND = { iccid: ICCID, imsi: '250011234567890', phone: '79161234567', operator: 'mts' } as const;

describe.each(BACKENDS)('SIM number store on $name', (backend) => {
  let store: StoreHandle | null = null;
  afterEach(async () => {
    await store?.close();
    store = null;
  });

  describe.skipIf(!backend.available)('', () => {
    it('keeps a discovered number unconfirmed until confirmed, and the confirmation durable', async () => {
      store = await backend.open(() => 1_000);
      const { sims } = store;
      expect(await sims.listDiscovered()).toEqual([]);
      const saved = await sims.saveDiscovered({ ...FOUND, source: 'ussd', discoveredAtMs: 1_000 });
      expect(saved).toEqual({ ...FOUND, source: 'ussd', discoveredAtMs: 1_000, confirmedAtMs: null });
      expect(await sims.confirm(ICCID, 2_000)).toBe(true);
      // Confirming again keeps the first time.
      expect(await sims.confirm(ICCID, 3_000)).toBe(true);
      expect(await sims.listDiscovered()).toEqual([{ ...saved, confirmedAtMs: 2_000 }]);
    });

    it('keeps the confirmation when the same number is found again, and drops it for another', async () => {
      store = await backend.open(() => 1_000);
      const { sims } = store;
      await sims.saveDiscovered({ ...FOUND, source: 'ussd', discoveredAtMs: 1_000 });
      await sims.confirm(ICCID, 2_000);
      const again = await sims.saveDiscovered({ ...FOUND, source: 'cnum', discoveredAtMs: 5_000 });
      expect(again).toMatchObject({ source: 'cnum', discoveredAtMs: 1_000, confirmedAtMs: 2_000 });
      const changed = await sims.saveDiscovered({
        ...FOUND,
        phone: '79167654321',
        source: 'ussd',
        discoveredAtMs: 6_000,
      });
      expect(changed).toMatchObject({ phone: '79167654321', discoveredAtMs: 6_000, confirmedAtMs: null });
    });

    it('refuses to confirm a SIM with no discovered number', async () => {
      store = await backend.open(() => 1_000);
      expect(await store.sims.confirm('8970199999999999999', 2_000)).toBe(false);
    });
  });
});
