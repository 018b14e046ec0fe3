import { afterEach, describe, expect, it } from 'vitest';
import type { RentOptions } from '../../src/reseller/rent-service.js';
import { makeSims } from './support/harness.js';
import { operatorMapOf, type ServerHarness, startHarness } from './support/server-harness.js';

/** GET_SERVICES / GET_NUMBER / FINISH_ACTIVATION for rent (onlinesim-reseller.md §3, §7). */

const RENT: RentOptions = { services: ['rent'], maxDays: 30, defaultDays: 1, daysField: 'days' };
const DAY_MS = 86_400_000;

describe('reseller endpoint: rent', () => {
  let h: ServerHarness;
  afterEach(async () => h?.close());
  const start = (count = 3, rent: RentOptions | null = RENT) =>
    (h = startHarness(makeSims(count), {}, ':memory:', rent ? { rent } : {}));
  const rentOrder = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'rent', sum: 870 };
  const vkOrder = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 10 };

  it('counts free SIMs under rent next to the service keys, on both paths', async () => {
    start(3);
    const expected = {
      mts: { vk: 2, instagram: 2, rent: 2 },
      beeline: { vk: 1, instagram: 1, rent: 1 },
      any: { vk: 3, instagram: 3, rent: 3 },
    };
    expect(operatorMapOf(await h.call({ action: 'GET_SERVICES' }))).toEqual(expected);
    expect(operatorMapOf(await h.call({}, '/getServicesRent'))).toEqual(expected);
    await h.call(rentOrder);
    expect(operatorMapOf(await h.call({ action: 'GET_SERVICES' })).any).toEqual({
      vk: 2,
      instagram: 2,
      rent: 2,
    });
  });

  it('rents a SIM by service "rent" or by the rent path, and refuses it to activations after', async () => {
    start(2);
    const first = await h.call(rentOrder);
    expect(first).toEqual({ status: 'SUCCESS', number: 79000000000, activationId: 1 });
    const second = await h.call({ country: 'russia', operator: 'any', sum: 500, days: 7 }, '/getNumberRent');
    expect(second).toEqual({ status: 'SUCCESS', number: 79000000001, activationId: 2 });
    expect(await h.call(vkOrder)).toEqual({ status: 'NO_NUMBERS' });
    expect(await h.call(rentOrder)).toEqual({ status: 'NO_NUMBERS' });
    const rents = await h.store.rents();
    expect(rents.map((r) => [r.operationId, r.days, r.expiresAtMs - r.rentedAtMs])).toEqual([
      [2, 7, 7 * DAY_MS],
      [1, 1, 1 * DAY_MS],
    ]);
  });

  it('does not rent a SIM in an activation, and respects exceptionPhoneSet, country and operator', async () => {
    start(3);
    expect(await h.call({ ...vkOrder, operator: 'beeline' })).toMatchObject({ number: 79000000001 });
    expect(await h.call({ ...rentOrder, operator: 'beeline' })).toEqual({ status: 'NO_NUMBERS' });
    expect(await h.call({ ...rentOrder, country: 'germany' })).toEqual({ status: 'NO_NUMBERS' });
    expect(await h.call({ ...rentOrder, exceptionPhoneSet: [790000000] })).toEqual({ status: 'NO_NUMBERS' });
    expect(await h.call({ ...rentOrder, exceptionPhoneSet: ['+7 900 000 00 00'] })).toMatchObject({
      number: 79000000002,
    });
  });

  it('refuses a length above maxDays or not a whole number, and takes the configured field', async () => {
    start(2, { ...RENT, maxDays: 10, daysField: 'rentDays' });
    expect(await h.call({ ...rentOrder, rentDays: 11 })).toEqual({
      status: 'ERROR',
      error: 'BAD_REQUEST: rentDays: must be at most 10',
    });
    expect(await h.call({ ...rentOrder, rentDays: 1.5 })).toMatchObject({ status: 'ERROR' });
    expect(await h.call({ ...rentOrder, rentDays: '3' })).toMatchObject({ status: 'SUCCESS' });
    expect((await h.store.rents())[0]?.days).toBe(3);
  });

  it('ends a rent on FINISH (rent) once, twice being one end, and records the sum', async () => {
    start(1);
    const { activationId } = await h.call(rentOrder);
    const finish = { action: 'FINISH_ACTIVATION', activationId, status: 3, service: 'rent', sum: 870 };
    expect(await h.call(finish)).toEqual({ status: 'SUCCESS' });
    expect(await h.call({ ...finish, sum: 1 }, '/finishActivationRent')).toEqual({ status: 'SUCCESS' });
    expect(await h.store.rents()).toEqual([
      expect.objectContaining({ status: 'finished', sum: 870, finishStatus: 3, endReason: 'finish' }),
    ]);
    expect(h.logs.filter((l) => String(l.msg).startsWith('FINISH_ACTIVATION')).map((l) => l.msg)).toEqual([
      'FINISH_ACTIVATION: closed',
      'FINISH_ACTIVATION: repeated for a closed operation; answered SUCCESS',
    ]);
    // Free again, for rent and for activations.
    expect(await h.call(vkOrder)).toMatchObject({ status: 'SUCCESS' });
  });

  it('hands 5 SIMs to exactly 5 of 50 concurrent GET_NUMBER calls mixing rent and activation', async () => {
    start(5);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => h.call(i % 3 === 0 ? rentOrder : vkOrder)),
    );
    const sold = answers.filter((a) => a.status === 'SUCCESS');
    expect(sold).toHaveLength(5);
    expect(new Set(sold.map((a) => a.number)).size).toBe(5);
    expect(answers.filter((a) => a.status === 'NO_NUMBERS')).toHaveLength(45);
    expect(operatorMapOf(await h.call({ action: 'GET_SERVICES' })).any).toEqual({
      vk: 0,
      instagram: 0,
      rent: 0,
    });
  });

  it('answers RENT_NOT_SUPPORTED on the rent paths while rent is off, and counts no rent key', async () => {
    start(1, null);
    expect(await h.call(rentOrder, '/getNumberRent')).toEqual({
      status: 'ERROR',
      error: 'RENT_NOT_SUPPORTED',
    });
    expect(operatorMapOf(await h.call({ action: 'GET_SERVICES' })).any).toEqual({ vk: 1, instagram: 1 });
    expect(await h.call(rentOrder)).toEqual({ status: 'NO_NUMBERS' });
  });
});

describe('RentExpirySweeper', () => {
  it('ends rents past their end and grace, once, and logs them', async () => {
    const { RentExpirySweeper } = await import('../../src/reseller/rent-expiry.js');
    const h = startHarness(makeSims(1), {}, ':memory:', { rent: RENT });
    try {
      await h.call({ action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'rent', days: 1 });
      const rentedAt = (await h.store.rents())[0]?.rentedAtMs ?? 0;
      let now = rentedAt + DAY_MS + 59_999;
      const { createLogger } = await import('../../src/log.js');
      const lines: string[] = [];
      const log = createLogger({ level: 'info', destination: { write: (l: string) => lines.push(l) } });
      const sweeper = new RentExpirySweeper({
        store: h.store,
        graceMs: 60_000,
        intervalMs: 1_000,
        log,
        clock: () => now,
      });
      await sweeper.sweep();
      expect((await h.store.rents())[0]?.status).toBe('active');
      now += 1;
      await sweeper.sweep();
      await sweeper.sweep();
      expect((await h.store.rents())[0]).toMatchObject({ status: 'finished', endReason: 'expired' });
      expect(lines.filter((l) => l.includes('rents ended here'))).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
