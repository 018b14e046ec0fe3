import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EmulatedFarm } from '../../src/emulator/farm.js';
import { describeWithPty } from '../support/describe-with.js';
import { type BridgeProcess, spawnBridge, tearDownRig } from './support/bridge-process.js';
import { ScriptedOnlinesim } from './support/scripted-onlinesim.js';
import { waitUntil } from './support/wait.js';

/**
 * A farm that sets itself up (README "Adding SIMs"): eight emulated modems, no `sims:` list in
 * the config. Slots 0-3 store their number on the SIM (AT+CNUM); slots 4-7 are prepaid SIMs with
 * none, whose number the operator's USSD code answers (UCS-2, GSM-7 text, Huawei's packed hex).
 * No SIM is offered to Onlinesim before the operator confirms its number; all are after. Slot 3's
 * balance USSD never answers: an SMS to it meanwhile is pushed as fast as ever.
 */

const KEY = 'sim-discovery-key-0123';
const MODEMS = 8;
const HUNG_SLOT = 3;
/** How long the bridge waits for the hung USSD: longer than this whole test. */
const USSD_TIMEOUT_MS = 120_000;
/** An SMS takes well under a second from the modem to the push on this rig; 3 s leaves room for a loaded CI. */
const USUAL_PUSH_LATENCY_MS = 3_000;

interface SimView {
  iccid: string;
  phone: string | null;
  source: string | null;
  confirmed: boolean;
  offered: boolean;
  balance: number | null;
  problem: string | null;
  port: string | null;
}

describeWithPty('SIM numbers found by the SIMs themselves, against simbridge run', () => {
  let dir: string;
  let farm: EmulatedFarm;
  let onlinesim: ScriptedOnlinesim;
  let bridge: BridgeProcess;
  let adminUrl = '';
  let resellerUrl = '';
  const phoneOf = (slot: number) => farm.modem(slot).identity.phoneNumber.replace(/^\+/, '');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'simbridge-sims-'));
    farm = new EmulatedFarm({ count: MODEMS, profiles: 'mixed', modemOptions: { bootTimeScale: 0 } });
    await farm.start();
    onlinesim = await ScriptedOnlinesim.start();
    for (let slot = 4; slot < MODEMS; slot++) farm.modem(slot).subscriber.configure({ storesNumber: false });
    const national = `8 ${phoneOf(6).slice(1, 4)} ${phoneOf(6).slice(4, 7)}-${phoneOf(6).slice(7, 9)}-${phoneOf(6).slice(9)}`;
    farm
      .modem(6)
      .subscriber.configure({ ussd: { '*111*0887#': { kind: 'text', text: `Vash nomer ${national}` } } });
    // Slot 7 is a Huawei stick (the "mixed" round): a Latin answer comes as packed GSM-7 hex.
    expect(farm.modem(7).profile.name).toBe('huawei-e3372');
    farm
      .modem(7)
      .subscriber.configure({ ussd: { '*111*0887#': { kind: 'text', text: `Your number +${phoneOf(7)}` } } });
    farm.modem(HUNG_SLOT).subscriber.configure({ ussd: { '*100#': { kind: 'silent' } } });
    const config = {
      onlinesim: { pushUrl: onlinesim.url, apiKey: KEY },
      reseller: { listen: '127.0.0.1:0', services: ['vk'] },
      admin: { listen: '127.0.0.1:0' },
      storage: { sqlite: join(dir, 'simbridge.db') },
      modems: { ports: [join(farm.directory, 'modem-*')], pollIntervalMs: 500, watchdogIntervalMs: 1_000 },
      sims: { autoConfirm: false, ussdTimeoutMs: USSD_TIMEOUT_MS },
      operators: {
        mts: { country: 'russia', imsiPrefixes: ['25001'], numberUssd: '*111*0887#', balanceUssd: '*100#' },
      },
      push: { retryDelayMs: 400, timeoutMs: 2_000 },
      log: { level: 'info' },
    };
    const configPath = join(dir, 'simbridge.yaml');
    writeFileSync(configPath, stringify(config));
    bridge = spawnBridge(configPath);
    const running = await bridge.waitForLog((l) => l.msg === 'simbridge running', 'simbridge running');
    adminUrl = String(running.adminUrl);
    resellerUrl = String(running.resellerUrl);
  }, 60_000);

  afterAll(async () => {
    await bridge?.kill9();
    await tearDownRig({ farm, onlinesim, dir });
  });

  const sims = async (): Promise<SimView[]> =>
    (await (await fetch(`${adminUrl}/api/sims`)).json()) as SimView[];
  const reseller = async (body: Record<string, unknown>) =>
    (await (
      await fetch(resellerUrl, { method: 'POST', body: JSON.stringify({ key: KEY, ...body }) })
    ).json()) as Record<string, unknown>;
  const offeredForVk = async (): Promise<number> => {
    const answer = await reseller({ action: 'GET_SERVICES' });
    const russia = (
      answer.countryList as { country: string; operatorMap: Record<string, Record<string, number>> }[]
    ).find((c) => c.country === 'russia');
    return russia?.operatorMap.any?.vk ?? 0;
  };

  it('finds every number (CNUM for slots 0-3, USSD for 4-7) and offers none before confirmation', async () => {
    const found = await waitUntil(
      async () => {
        const list = await sims();
        return list.length === MODEMS && list.every((s) => s.phone !== null) ? list : undefined;
      },
      'every SIM has a number',
      30_000,
      200,
    );
    for (let slot = 0; slot < MODEMS; slot++) {
      const iccid = farm.modem(slot).identity.iccid;
      expect(
        found.find((s) => s.iccid === iccid),
        `slot ${slot}`,
      ).toMatchObject({
        phone: phoneOf(slot),
        source: slot < 4 ? 'cnum' : 'ussd',
        confirmed: false,
        offered: false,
      });
    }
    expect(await offeredForVk()).toBe(0);
    expect(
      await reseller({ action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 5 }),
    ).toMatchObject({
      status: 'NO_NUMBERS',
    });
    // An operation cannot be opened by hand on an unconfirmed number either.
    const open = await fetch(`${adminUrl}/api/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: phoneOf(0), operationId: 9001, service: 'vk' }),
    });
    expect(open.status).toBe(400);
  });

  it('offers every SIM once confirmed, and shows the balances read by USSD', async () => {
    for (let slot = 0; slot < MODEMS; slot++) {
      const res = await fetch(`${adminUrl}/api/sims/${farm.modem(slot).identity.iccid}/confirm`, {
        method: 'POST',
      });
      expect(res.status, `confirm slot ${slot}`).toBe(200);
    }
    expect(await offeredForVk()).toBe(MODEMS);
    const list = await waitUntil(
      async () => {
        const all = await sims();
        return all.filter((s) => s.balance !== null).length === MODEMS - 1 ? all : undefined;
      },
      'balances of the answering SIMs',
      15_000,
      200,
    );
    const hung = list.find((s) => s.iccid === farm.modem(HUNG_SLOT).identity.iccid);
    // Its balance USSD is still waiting for the network: neither a balance nor a failure yet.
    expect(hung).toMatchObject({ balance: null, problem: null, confirmed: true, offered: true });
    expect(list.filter((s) => s.balance === 100)).toHaveLength(MODEMS - 1);
    const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
    expect(metrics).toContain(
      `simbridge_sim_balance{iccid="${farm.modem(0).identity.iccid}",phone="${phoneOf(0)}"} 100`,
    );
  });

  it('pushes an SMS to the SIM whose USSD never answers within the usual latency', async () => {
    const phone = phoneOf(HUNG_SLOT);
    const opened = await fetch(`${adminUrl}/api/operations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, operationId: 9002, service: 'vk' }),
    });
    expect(opened.status).toBe(201);
    const sentAt = Date.now();
    await farm.modem(HUNG_SLOT).injectSms({ sender: 'VK', text: 'VK: 402911 is your code' });
    const push = await waitUntil(
      () => onlinesim.deliveredFor(9002)[0],
      'the push of operation 9002',
      10_000,
      20,
    );
    expect(push).toMatchObject({ phone, phoneFrom: 'VK', text: 'VK: 402911 is your code' });
    expect(push.request.atMs - sentAt).toBeLessThan(USUAL_PUSH_LATENCY_MS);
    const hung = (await sims()).find((s) => s.iccid === farm.modem(HUNG_SLOT).identity.iccid);
    expect(hung).toMatchObject({ balance: null, problem: null });
  });
});
