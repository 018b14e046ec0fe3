import { afterEach, describe, expect, it } from 'vitest';
import { type InProcessRig, startInProcessRig } from './support/in-process-bridge.js';
import { apiModemOf, offeredVk } from './support/rig-views.js';
import { waitUntil } from './support/wait.js';

/**
 * Low balance through the real wiring (issue #15): the balance USSD answer read by the SIM
 * registry reaches SIM health, which judges it against `sims.minBalance` (or `health.minBalance`,
 * which wins), and a SIM below it leaves GET_SERVICES. Nothing here supplies balances by hand.
 */

const OPERATORS = { mts: { country: 'russia', imsiPrefixes: ['25001'], balanceUssd: '*100#' } };

interface ApiModem {
  iccid: string | null;
  health: string;
  healthReason: string | null;
}

describe('a SIM low on balance, read by USSD on the emulator', () => {
  let rig: InProcessRig | null = null;

  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  async function balances(r: InProcessRig): Promise<(number | null)[]> {
    const sims = (await (await r.admin('/api/sims')).json()) as { iccid: string; balance: number | null }[];
    return r.iccids.map((iccid) => sims.find((s) => s.iccid === iccid)?.balance ?? null);
  }

  /** Two modems: slot 0 answers 5,00 roubles, slot 1 answers 150; both balances read before returning. */
  async function start(
    overrides: Record<string, unknown>,
    simOptions: Record<string, unknown>,
  ): Promise<InProcessRig> {
    rig = await startInProcessRig(
      2,
      { operators: OPERATORS, health: { intervalMs: 1_000 }, ...overrides },
      {
        simOptions,
        prepareModems: ([low, high]) => {
          low?.subscriber.configure({ ussd: { '*100#': { kind: 'text', text: 'Баланс: 5,00 р.' } } });
          high?.subscriber.configure({ ussd: { '*100#': { kind: 'text', text: 'Balance: 150.00 rub' } } });
        },
      },
    );
    const r = rig;
    await waitUntil(
      async () => (await balances(r)).every((b) => b !== null),
      'both balances read by USSD',
      10_000,
    );
    return r;
  }

  it('with sims.minBalance: 10, the SIM at 5,00 is unhealthy (low_balance) and not offered; 150 is', async () => {
    const r = await start({}, { minBalance: 10 });
    expect(await balances(r)).toEqual([5, 150]);
    await waitUntil(async () => (await offeredVk(r)) === 1, 'only the SIM at 150 offered', 5_000);
    expect(await apiModemOf<ApiModem>(r, 0)).toMatchObject({
      health: 'unhealthy',
      healthReason: 'low_balance',
    });
    expect(await apiModemOf<ApiModem>(r, 1)).toMatchObject({ health: 'healthy', healthReason: null });
    // The status page shows both balances from the same registry.
    const status = (await (await r.admin('/api/status')).json()) as {
      modems: { iccid: string | null; balance: number | null; numberUnconfirmed: boolean }[];
    };
    const shown = r.iccids.map((iccid) => status.modems.find((m) => m.iccid === iccid)?.balance);
    expect(shown).toEqual([5, 150]);
    const number = await r.reseller({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
    });
    expect(number.number).toBe(Number(r.phones[1]));
    // The only healthy SIM is taken now: the low one is still not sold.
    const none = await r.reseller({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
    });
    expect(none.status).toBe('NO_NUMBERS');
  }, 20_000);

  it('health.minBalance wins over sims.minBalance', async () => {
    // sims.minBalance alone would take the SIM at 150 off too; health.minBalance: 1 keeps both.
    const r = await start({ health: { intervalMs: 1_000, minBalance: 1 } }, { minBalance: 200 });
    expect(await balances(r)).toEqual([5, 150]);
    await waitUntil(async () => (await offeredVk(r)) === 2, 'both SIMs offered', 5_000);
    expect(await apiModemOf<ApiModem>(r, 0)).toMatchObject({ health: 'healthy' });
  }, 20_000);
});
