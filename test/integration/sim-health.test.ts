import { afterEach, describe, expect, it } from 'vitest';
import { type InProcessRig, startInProcessRig } from './support/in-process-bridge.js';
import { apiModemOf, offeredVk } from './support/rig-views.js';
import { delay, waitUntil } from './support/wait.js';

/** The bridge in-process over emulated modems: SIM health against the real stack. */

const HEALTH_INTERVAL_MS = 1_000;

interface ApiModem {
  iccid: string | null;
  state: string;
  registered: boolean;
  health: string;
  healthReason: string | null;
}

describe('SIM health on the emulator', () => {
  let rig: InProcessRig | null = null;

  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  async function start(overrides: Record<string, unknown> = {}): Promise<InProcessRig> {
    rig = await startInProcessRig(2, {
      health: { intervalMs: HEALTH_INTERVAL_MS, readErrorsInARow: 3 },
      ...overrides,
    });
    const r = rig;
    await waitUntil(async () => (await offeredVk(r)) === 2, 'both SIMs offered', 10_000);
    return r;
  }

  it('a SIM deregistered mid-run leaves GET_SERVICES within one health interval and comes back', async () => {
    const r = await start();
    const modem = r.modems[1];
    if (!modem) throw new Error('no modem');
    const offAt = Date.now();
    modem.setRadio({ registered: false });
    await waitUntil(async () => (await offeredVk(r)) === 1, 'SIM out of GET_SERVICES', HEALTH_INTERVAL_MS);
    console.log(`deregistered -> out of GET_SERVICES: ${Date.now() - offAt} ms (+CREG URC)`);
    expect(await apiModemOf<ApiModem>(r, 1)).toMatchObject({
      health: 'unhealthy',
      healthReason: 'unregistered',
    });
    expect(await apiModemOf<ApiModem>(r, 0)).toMatchObject({ health: 'healthy', healthReason: null });
    const number = await r.reseller({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
    });
    expect(number.number).toBe(Number(r.phones[0]));

    modem.setRadio({ registered: true });
    await waitUntil(
      async () => (await apiModemOf<ApiModem>(r, 1))?.health === 'healthy',
      'SIM healthy again',
      HEALTH_INTERVAL_MS,
    );
    // The first SIM is busy with the operation just sold: the second is the one offered now.
    expect(await offeredVk(r)).toBe(1);
    const second = await r.reseller({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
    });
    expect(second.number).toBe(Number(r.phones[1]));
  }, 20_000);

  it('notices a deregistration by the radio poll when no +CREG URC comes', async () => {
    const r = await start();
    const modem = r.modems[1];
    if (!modem) throw new Error('no modem');
    // As a modem that lost its URC settings: the change comes without a +CREG line.
    (modem.settings.regUrc as { CREG: number }).CREG = 0;
    modem.setRadio({ registered: false });
    const offAt = Date.now();
    // One interval for the poll to come round, plus the poll's own commands (slack for a loaded machine).
    await waitUntil(
      async () => (await offeredVk(r)) === 1,
      'SIM out by the poll',
      HEALTH_INTERVAL_MS + 1_000,
    );
    console.log(`deregistered -> out of GET_SERVICES by the poll: ${Date.now() - offAt} ms`);
    modem.setRadio({ registered: true });
    await waitUntil(async () => (await offeredVk(r)) === 2, 'back by the poll', HEALTH_INTERVAL_MS + 1_000);
  }, 20_000);

  it('a SIM whose every read fails is unhealthy (read_errors) until a read succeeds', async () => {
    const r = await start();
    const modem = r.modems[0];
    if (!modem) throw new Error('no modem');
    modem.setReadsFailing(true);
    await modem.injectSms({ sender: 'VK', text: 'VK: 1234 is your code' });
    await waitUntil(
      async () => (await apiModemOf<ApiModem>(r, 0))?.healthReason === 'read_errors',
      'read_errors verdict',
      10_000,
    );
    expect(await offeredVk(r)).toBe(1);
    // Refusals do not re-initialise the modem in a loop: at most once per poll period (500 ms).
    let inits = 0;
    const countInit = (line: string) => {
      if (line === 'AT+CMGF=0') inits += 1;
    };
    modem.on('command', countInit);
    await delay(1_500);
    modem.off('command', countInit);
    expect(inits).toBeLessThanOrEqual(4);
    const metrics = await (await r.admin('/metrics')).text();
    expect(metrics).toContain(`simbridge_sim_healthy{iccid="${r.iccids[0]}",port=`);
    expect(metrics).toMatch(
      new RegExp(`simbridge_sim_healthy\\{iccid="${r.iccids[0]}",[^}]*reason="read_errors"\\} 0`),
    );
    expect(metrics).toMatch(new RegExp(`simbridge_sim_healthy\\{iccid="${r.iccids[1]}",[^}]*reason=""\\} 1`));

    modem.setReadsFailing(false);
    await waitUntil(async () => (await offeredVk(r)) === 2, 'offered again after a good read', 10_000);
    expect(await apiModemOf<ApiModem>(r, 0)).toMatchObject({ health: 'healthy', healthReason: null });
    // Nothing was lost meanwhile: the message failed to read stayed on the SIM and is read now.
    await waitUntil(() => modem.storedMessages().length === 0, 'SIM storage drained', 10_000);
  }, 30_000);
});

describe('status page history on the emulator', () => {
  let rig: InProcessRig | null = null;

  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  interface StatusBody {
    modems: { iccid: string | null; smsToday: number | null; health: string; healthReason: string | null }[];
    history: { lastHour: { sms: number }; smsPerMinute: number[]; today: { sms: number } } | null;
    health: { warnings: string[] };
  }

  async function status(r: InProcessRig): Promise<StatusBody> {
    return (await (await r.admin('/api/status')).json()) as StatusBody;
  }

  it("counts today's SMS per SIM and the last hour, and still does after a restart", async () => {
    rig = await startInProcessRig(2, { health: { intervalMs: HEALTH_INTERVAL_MS } });
    const r = rig;
    await waitUntil(
      async () => (await status(r)).modems.filter((m) => m.iccid !== null).length === 2,
      'modems',
    );
    for (const text of ['VK: 1111', 'VK: 2222']) await r.modems[0]?.injectSms({ sender: 'VK', text });
    await r.modems[1]?.injectSms({ sender: 'VK', text: 'VK: 3333' });
    await waitUntil(async () => (await status(r)).history?.lastHour.sms === 3, 'three SMS in the history');
    const today = async () =>
      (await status(r)).modems
        .map((m) => [m.iccid, m.smsToday] as const)
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    const expected = r.iccids
      .map((iccid, slot) => [iccid, slot === 0 ? 2 : 1] as const)
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(await today()).toEqual(expected);
    expect((await status(r)).history?.smsPerMinute.at(-1)).toBeGreaterThan(0);

    await r.restart();
    await waitUntil(
      async () => (await status(r)).modems.filter((m) => m.iccid !== null).length === 2,
      'modems again',
    );
    expect(await today()).toEqual(expected);
    const after = await status(r);
    expect(after.history?.lastHour.sms).toBe(3);
    expect(after.history?.today.sms).toBe(3);

    // A deregistered SIM shows on the status page with its reason, and in the banner.
    r.modems[1]?.setRadio({ registered: false });
    await waitUntil(
      async () => (await status(r)).modems.some((m) => m.healthReason === 'unregistered'),
      'unhealthy SIM on the status page',
      HEALTH_INTERVAL_MS,
    );
    expect((await status(r)).health.warnings).toContain('1 SIM unhealthy: not offered to Onlinesim');
  }, 30_000);
});
