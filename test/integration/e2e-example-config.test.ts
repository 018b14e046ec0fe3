import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeWithPty } from '../support/describe-with.js';
import { E2eRig } from './support/e2e-rig.js';
import { delay, waitUntil } from './support/wait.js';

/**
 * The operator's first run: `simbridge run` with the example
 * config against emulated modems and a local server. Only what must differ on this host is
 * replaced (push URL, ports, SIM map, store path, listen ports, a short retry delay); the API key
 * still comes from ${ONLINESIM_API_KEY} and the example's deny-list and reseller section apply.
 */

const EXAMPLE = parse(
  readFileSync(new URL('../../config/simbridge.example.yaml', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const KEY_FROM_ENV = 'key-from-the-environment-42';

describeWithPty('end to end: the example config', () => {
  let rig: E2eRig;

  beforeAll(async () => {
    rig = await E2eRig.start({
      modems: 2,
      baseConfig: EXAMPLE,
      // The example's own value, an environment reference.
      apiKeyValue: String((EXAMPLE.onlinesim as Record<string, unknown>).apiKey),
      env: { ONLINESIM_API_KEY: KEY_FROM_ENV },
      configOverrides: { reseller: { listen: '127.0.0.1:0', services: ['instagram', 'vk'] } },
    });
  }, 30_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('pushes with the key from the environment, applies the example deny-list and serves the reseller endpoint', async () => {
    await rig.openOperation(1, 9001, 'instagram');
    await rig.sim(1).modem.injectSms({ sender: 'Instagram', text: 'Instagram code 900 900' });
    await rig.sim(1).modem.injectSms({ sender: '900', text: 'Sberbank: balance 10 RUB' });
    await waitUntil(() => rig.onlinesim.deliveredFor(9001).length === 1, 'the push');
    await rig.drained(1);
    await delay(500);

    const [push] = rig.onlinesim.pushesFor(9001);
    expect(rig.onlinesim.pushesFor(9001)).toHaveLength(1);
    expect(push?.request.body).toMatchObject({
      smsId: 9001,
      text: 'Instagram code 900 900',
      key: KEY_FROM_ENV,
    });
    expect((await rig.messages('filtered')).map((m) => m.sender)).toEqual(['900']);
    // The key never reaches the log.
    expect(JSON.stringify(rig.bridge.logs)).not.toContain(KEY_FROM_ENV);

    const running = rig.bridge.logs.find((l) => l.msg === 'simbridge running');
    const resellerUrl = String(running?.resellerUrl);
    const services = await fetch(`${resellerUrl}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'GET_SERVICES', key: KEY_FROM_ENV }),
    });
    expect(services.status).toBe(200);
    expect(await services.json()).toMatchObject({ status: 'SUCCESS' });
  });
});
