import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPty } from '../support/describe-with.js';
import { type MockOnlinesim, startMockOnlinesim } from '../support/mock-onlinesim.js';
import { E2E_API_KEY, E2E_TIMINGS, E2eRig } from './support/e2e-rig.js';
import { delay, waitUntil } from './support/wait.js';

/**
 * `simbridge run` with `reseller.rent.enabled`: Onlinesim rents a SIM through GET_NUMBER (rent),
 * the SIM's SMS, whatever the sender, reach `onlinesim.pushRentUrl` with the rent's id, the SIM
 * is not sold for activations meanwhile, and FINISH (rent) frees it; the rent survives a restart.
 */
describeWithPty('end to end: rent through simbridge run', () => {
  let rig: E2eRig;
  let rentPush: MockOnlinesim;
  let resellerUrl = '';

  const call = async (body: Record<string, unknown>, path = '/') => {
    const res = await fetch(`${resellerUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: E2E_API_KEY, ...body }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const resellerUrlOf = (r: E2eRig) =>
    String(r.bridge.logs.find((l) => l.msg === 'simbridge running')?.resellerUrl);

  beforeAll(async () => {
    rentPush = await startMockOnlinesim({});
    rig = await E2eRig.start({
      modems: 2,
      baseConfig: {
        onlinesim: { pushRentUrl: `${rentPush.url.replace('/v1/PUSH_SMS', '')}/pushSmsRent` },
        reseller: { listen: '127.0.0.1:0', services: ['vk'], rent: { enabled: true, maxDays: 7 } },
      },
    });
    resellerUrl = resellerUrlOf(rig);
  }, 30_000);

  afterAll(async () => {
    await rig?.close();
    await rentPush?.close();
  });

  it('pushes every SMS of a rented SIM to pushRentUrl once, keeps it from activations, and frees it on FINISH', async () => {
    const services = await call({ action: 'GET_SERVICES' });
    expect(services).toMatchObject({
      countryList: [{ country: 'russia', operatorMap: { any: { vk: 2, rent: 2 } } }],
    });
    const rent = await call({ country: 'russia', operator: 'any', sum: 870, days: 3 }, '/getNumberRent');
    expect(rent).toMatchObject({ status: 'SUCCESS' });
    const slot = rig.sims.findIndex((s) => s.phone === String(rent.number));
    expect(slot).toBeGreaterThanOrEqual(0);
    const activation = await call({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
      sum: 9,
    });
    expect(activation).toMatchObject({ status: 'SUCCESS' });
    expect(activation.number).not.toBe(rent.number);
    expect(await call({ action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk' })).toEqual({
      status: 'NO_NUMBERS',
    });

    const senders = ['Instagram', '+79161234567', 'Telegram'];
    for (const sender of senders)
      await rig.sim(slot).modem.injectSms({ sender, text: `${sender} code 4242` });
    await waitUntil(() => rentPush.requests.length >= 3, 'three rent pushes', 10_000);
    await rig.drained(slot);
    await delay(E2E_TIMINGS.retryDelayMs + 200);
    expect(rentPush.requests.map((r) => r.url)).toEqual(['/pushSmsRent', '/pushSmsRent', '/pushSmsRent']);
    expect(
      rentPush.requests.map((r) => r.body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual(
      senders
        .map((sender) => ({
          smsId: rent.activationId,
          phoneFrom: sender,
          phone: String(rent.number),
          text: `${sender} code 4242`,
          action: 'PUSH_SMS',
          key: E2E_API_KEY,
        }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(rig.onlinesim.pushesFor(Number(rent.activationId))).toHaveLength(0);

    const listed = (await (await fetch(`${rig.adminUrl}/api/operations?active=true`)).json()) as Array<
      Record<string, unknown>
    >;
    expect(listed.find((op) => op.id === rent.activationId)).toMatchObject({
      kind: 'rent',
      service: 'rent',
      rent: { days: 3, smsCount: 3, atRisk: false },
    });
    const metrics = await (await fetch(`${rig.adminUrl}/metrics`)).text();
    expect(metrics).toContain('simbridge_rents_open 1');
    expect(metrics).toContain('simbridge_rent_sms_pushed_total 3');

    // A restart keeps the rent: the SIM is still not sold for activations.
    await rig.bridge.stop();
    await rig.restart();
    resellerUrl = resellerUrlOf(rig);
    expect(
      await call({ action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'instagram' }),
    ).toEqual({
      status: 'NO_NUMBERS',
    });
    const health = (await (await fetch(`${rig.adminUrl}/healthz`)).json()) as Record<string, unknown>;
    expect(health.rentsAtRisk).toEqual([]);

    const finish = {
      action: 'FINISH_ACTIVATION',
      activationId: rent.activationId,
      status: 3,
      service: 'rent',
      sum: 870,
    };
    expect(await call(finish, '/finishActivationRent')).toEqual({ status: 'SUCCESS' });
    expect(await call(finish)).toEqual({ status: 'SUCCESS' });
    const after = await (await fetch(`${rig.adminUrl}/metrics`)).text();
    expect(after).toContain('simbridge_rents_open 0');
    expect(after).toContain('simbridge_earned_rub{kind="rent"} 870');
    expect(
      await call({ action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk' }),
    ).toMatchObject({
      status: 'SUCCESS',
      number: rent.number,
    });
  });
});
