import { afterEach, describe, expect, it } from 'vitest';
import { makeSims } from './support/harness.js';
import { operatorMapOf, type ServerHarness, startHarness } from './support/server-harness.js';

/** Conformance with the JSON shapes of onlinesim-reseller.md §3-§5. */
describe('reseller endpoint: protocol shapes and behaviour', () => {
  let h: ServerHarness;
  afterEach(async () => h?.close());

  it('GET_SERVICES answers SUCCESS with countryList[].operatorMap and an any sum, as JSON UTF-8', async () => {
    h = startHarness(makeSims(3));
    const res = await h.post(
      { action: 'GET_SERVICES', key: 'test-partner-key-0123456789' },
      { path: '/getServices' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual({
      status: 'SUCCESS',
      countryList: [
        {
          country: 'russia',
          operatorMap: {
            mts: { vk: 2, instagram: 2 },
            beeline: { vk: 1, instagram: 1 },
            any: { vk: 3, instagram: 3 },
          },
        },
      ],
    });
  });

  it('GET_NUMBER answers SUCCESS with a JSON number and an integer activationId, then NO_NUMBERS', async () => {
    h = startHarness(makeSims(1));
    const body = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 40 };
    const res = await h.post({ ...body, key: 'test-partner-key-0123456789' }, { path: '/getNumber' });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe('{"status":"SUCCESS","number":79000000000,"activationId":1}');
    expect(await h.call(body)).toEqual({ status: 'NO_NUMBERS' });
  });

  it('writes number as a string of digits when configured', async () => {
    h = startHarness(makeSims(1), { numberFormat: 'string' });
    const answer = await h.call({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
      sum: 1,
    });
    expect(answer).toEqual({ status: 'SUCCESS', number: '79000000000', activationId: 1 });
  });

  it('counts fall as operations open and rise again when they are cancelled, not when sold', async () => {
    h = startHarness(makeSims(2));
    const vkAny = async () => operatorMapOf(await h.call({ action: 'GET_SERVICES' })).any?.vk;
    const instagramAny = async () => operatorMapOf(await h.call({ action: 'GET_SERVICES' })).any?.instagram;
    expect(await vkAny()).toBe(2);
    const order = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 10 };
    const first = await h.call(order);
    expect(await vkAny()).toBe(1);
    // A busy SIM serves no other service either.
    expect(await instagramAny()).toBe(1);
    const second = await h.call(order);
    expect(await vkAny()).toBe(0);
    expect(
      await h.call({ action: 'FINISH_ACTIVATION', activationId: first.activationId, status: 4 }),
    ).toEqual({
      status: 'SUCCESS',
    });
    expect(await vkAny()).toBe(1);
    await h.call({ action: 'FINISH_ACTIVATION', activationId: second.activationId, status: 3, sum: 10 });
    expect(await vkAny()).toBe(1);
    expect(await instagramAny()).toBe(2);
  });

  it('never offers a number again for a service after FINISH status 3, 1 or 5', async () => {
    h = startHarness(makeSims(3));
    const order = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 10 };
    for (const status of [3, 1, 5]) {
      const got = await h.call(order);
      expect(got.status).toBe('SUCCESS');
      await h.call({ action: 'FINISH_ACTIVATION', activationId: got.activationId, status });
    }
    expect(await h.call(order)).toEqual({ status: 'NO_NUMBERS' });
    expect(operatorMapOf(await h.call({ action: 'GET_SERVICES' })).any).toEqual({ vk: 0, instagram: 3 });
  });

  it('re-offers after FINISH status 4 until the fourth cancel', async () => {
    h = startHarness(makeSims(1));
    const order = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 10 };
    for (let cancel = 1; cancel <= 4; cancel++) {
      const got = await h.call(order);
      expect(got.status, `offer ${cancel}`).toBe('SUCCESS');
      await h.call({ action: 'FINISH_ACTIVATION', activationId: got.activationId, status: 4 });
    }
    expect(await h.call(order)).toEqual({ status: 'NO_NUMBERS' });
  });

  it('FINISH_ACTIVATION is idempotent and answers SUCCESS for an unknown id, with a warning', async () => {
    h = startHarness(makeSims(1));
    const got = await h.call({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
      sum: 10,
    });
    const finish = { action: 'FINISH_ACTIVATION', activationId: got.activationId, status: 3, sum: 4.5 };
    expect(await h.call(finish, '/finishActivation')).toEqual({ status: 'SUCCESS' });
    expect(await h.call(finish)).toEqual({ status: 'SUCCESS' });
    expect(await h.call({ action: 'FINISH_ACTIVATION', activationId: 424242, status: 4 })).toEqual({
      status: 'SUCCESS',
    });
    const warnings = h.logs.filter((line) => line.level === 40).map((line) => line.msg);
    expect(warnings).toEqual([
      'FINISH_ACTIVATION: repeated for a closed operation; answered SUCCESS',
      'FINISH_ACTIVATION: unknown activation id; answered SUCCESS',
    ]);
    const [op] = await h.store.listOperations();
    expect(op).toMatchObject({ status: 'finished', finishStatus: 3, sum: 4.5 });
  });

  it('applies exceptionPhoneSet by prefix, with integer and string entries', async () => {
    h = startHarness([
      ...makeSims(1, { phone: '46950111111', country: 'sweden' }),
      ...makeSims(1, { phone: '46951222222', country: 'sweden' }),
      ...makeSims(1, { phone: '46700333333', country: 'sweden' }),
    ]);
    const order = { action: 'GET_NUMBER', country: 'sweden', operator: 'any', service: 'vk', sum: 1 };
    const got = await h.call({ ...order, exceptionPhoneSet: [46950, '+46 951'] });
    expect(got.number).toBe(46700333333);
    expect(await h.call({ ...order, exceptionPhoneSet: ['4695', 4670] })).toEqual({ status: 'NO_NUMBERS' });
  });

  it('matches country and operator, and never sells an offline or unregistered SIM', async () => {
    const sims = makeSims(4);
    h = startHarness(sims);
    sims[0]!.online = false; // mts
    sims[2]!.registered = false; // mts
    const order = { action: 'GET_NUMBER', country: 'russia', service: 'vk', sum: 1 };
    expect(await h.call({ ...order, operator: 'mts' })).toEqual({ status: 'NO_NUMBERS' });
    expect(await h.call({ ...order, country: 'germany', operator: 'any' })).toEqual({ status: 'NO_NUMBERS' });
    const beeline = await h.call({ ...order, operator: 'beeline' });
    expect(beeline.number).toBe(79000000001);
    // No mts SIM is live: the operator is not listed at all.
    expect(operatorMapOf(await h.call({ action: 'GET_SERVICES' }))).toEqual({
      beeline: { vk: 1, instagram: 1 },
      any: { vk: 1, instagram: 1 },
    });
  });

  it('hands out numbers least recently used first', async () => {
    h = startHarness(makeSims(3));
    const order = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 1 };
    const numbers: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const got = await h.call(order);
      numbers.push(got.number);
      await h.call({ action: 'FINISH_ACTIVATION', activationId: got.activationId, status: 4 });
    }
    expect(new Set(numbers.slice(0, 3)).size).toBe(3);
    expect(numbers.slice(3)).toEqual(numbers.slice(0, 3));
  });

  it('gives 100 concurrent GET_NUMBER calls over 10 eligible SIMs exactly 10 distinct numbers', async () => {
    h = startHarness([...makeSims(10), ...makeSims(5, { online: false }, 10)]);
    const order = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 1 };
    const answers = await Promise.all(Array.from({ length: 100 }, () => h.call(order)));
    const sold = answers.filter((a) => a.status === 'SUCCESS');
    expect(sold).toHaveLength(10);
    expect(answers.filter((a) => a.status === 'NO_NUMBERS')).toHaveLength(90);
    expect(new Set(sold.map((a) => a.number)).size).toBe(10);
    expect(new Set(sold.map((a) => a.activationId)).size).toBe(10);
  });
});
