import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import type { UssdReply } from '../../src/modem/ussd/parse-cusd.js';
import { UssdError } from '../../src/modem/ussd/ussd-session.js';
import { type DiscoveryModem, SimDiscovery } from '../../src/sims/sim-discovery.js';
import { SimRegistry } from '../../src/sims/sim-registry.js';
import { MemorySimStore } from './memory-sim-store.js';

const MTS = { country: 'russia', imsiPrefixes: ['25001'], numberUssd: '*111*0887#', balanceUssd: '*100#' };
const CONFIGURED = {
  iccid: '89701010000000000001',
  phone: '79000000001',
  country: 'russia',
  operator: 'mts',
};

function setup(options: { autoConfirm?: boolean } = {}) {
  const store = new MemorySimStore();
  const registry = new SimRegistry({
    sims: [CONFIGURED],
    operators: { mts: MTS },
    autoConfirm: options.autoConfirm ?? false,
    defaultServices: ['vk'],
    store,
  });
  const discovery = new SimDiscovery({
    registry,
    readyModems: () => [],
    balanceIntervalMs: 60_000,
    ussdTimeoutMs: 1_000,
    log: silentLogger(),
  });
  return { store, registry, discovery };
}

function modem(
  iccid: string,
  answers: Record<string, string | Error>,
  extra: Partial<Omit<DiscoveryModem, 'iccid'>> = {},
): DiscoveryModem & { iccid: string; asked: string[] } {
  const asked: string[] = [];
  return {
    port: `/dev/gsm/${iccid.slice(-2)}`,
    imsi: '250011234567890',
    ownNumber: null,
    asked,
    async ussd(code: string): Promise<UssdReply> {
      asked.push(code);
      const answer = answers[code];
      if (answer instanceof Error) throw answer;
      if (answer === undefined) return { status: 'not-supported', text: null, dcs: null, raw: '+CUSD: 4' };
      return { status: 'done', text: answer, dcs: 15, raw: `+CUSD: 0,"${answer}",15` };
    },
    ...extra,
    iccid,
  };
}

describe('SimDiscovery and SimRegistry', () => {
  it('takes the number from AT+CNUM, unconfirmed and not offered until confirmed', async () => {
    const { registry, discovery, store } = setup();
    const sim = modem('89701010000000000002', { '*100#': 'Balance 12.50 rub' }, { ownNumber: '79161234567' });
    await discovery.modemReady(sim);
    expect(sim.asked).toEqual(['*100#']);
    const [view] = registry.list([sim]).filter((v) => v.iccid === sim.iccid);
    expect(view).toMatchObject({
      phone: '79161234567',
      source: 'cnum',
      confirmed: false,
      offered: false,
      balance: 12.5,
    });
    expect(registry.offeredSims().map((s) => s.phone)).toEqual(['79000000001']);
    expect(registry.phoneFor({ iccid: sim.iccid, imsi: null })).toBeNull();
    await registry.confirm(sim.iccid);
    expect(store.rows.get(sim.iccid)?.confirmedAtMs).not.toBeNull();
    expect(registry.offeredSims().map((s) => s.phone)).toEqual(['79000000001', '79161234567']);
    expect(registry.phoneFor({ iccid: sim.iccid, imsi: null })).toBe('79161234567');
  });

  it('asks the operator by USSD when the SIM stores no number', async () => {
    const { registry, discovery } = setup();
    const sim = modem('89701010000000000003', {
      '*111*0887#': 'Ваш номер 8 916 765-43-21',
      '*100#': 'Баланс: 123,45 р.',
    });
    await discovery.modemReady(sim);
    expect(sim.asked).toEqual(['*111*0887#', '*100#']);
    expect(registry.list([sim]).find((v) => v.iccid === sim.iccid)).toMatchObject({
      phone: '79167654321',
      source: 'ussd',
      port: sim.port,
      balance: 123.45,
      problem: null,
    });
    // Known now: a later ready asks for the number no more.
    await discovery.modemReady(sim);
    expect(sim.asked).toEqual(['*111*0887#', '*100#']);
  });

  it('never discovers over the config, and offers discovered SIMs at once with autoConfirm', async () => {
    const { registry, discovery } = setup({ autoConfirm: true });
    const configured = modem(CONFIGURED.iccid, {}, { ownNumber: '79990000000' });
    const found = modem('89701010000000000004', {}, { ownNumber: '79161112233' });
    await discovery.modemReady(configured);
    await discovery.modemReady(found);
    expect(registry.phoneFor({ iccid: CONFIGURED.iccid, imsi: null })).toBe('79000000001');
    expect(registry.offeredSims()).toEqual([
      CONFIGURED,
      { iccid: found.iccid, phone: '79161112233', country: 'russia', operator: 'mts', services: ['vk'] },
    ]);
  });

  it('keeps why a number or balance could not be read', async () => {
    const { registry, discovery } = setup();
    const hung = modem('89701010000000000005', {
      '*111*0887#': new UssdError('MODEM_USSD_TIMEOUT', 'no answer to *111*0887# within 1000 ms'),
    });
    await discovery.modemReady(hung);
    const view = registry.list([hung]).find((v) => v.iccid === hung.iccid);
    expect(view).toMatchObject({ phone: null, balance: null });
    expect(view?.problem).toMatch(/^balance USSD \*100#: the network answered \+CUSD: 4/);
    const noNumber = modem('89701010000000000006', { '*111*0887#': 'Услуга недоступна' });
    await discovery.modemReady(noNumber);
    expect(registry.list([noNumber]).find((v) => v.iccid === noNumber.iccid)?.problem).toMatch(
      /^balance USSD|^number USSD \*111\*0887# answered without a number/,
    );
    await expect(registry.confirm(noNumber.iccid)).rejects.toMatchObject({ code: 'BRIDGE_SIM_NOT_FOUND' });
  });

  it('reads the discovered numbers back from the store after a restart', async () => {
    const first = setup();
    const sim = modem('89701010000000000007', {}, { ownNumber: '79161234500' });
    await first.discovery.modemReady(sim);
    await first.registry.confirm(sim.iccid);
    const again = new SimRegistry({
      sims: [],
      operators: { mts: MTS },
      autoConfirm: false,
      defaultServices: [],
      store: first.store,
    });
    await again.load();
    expect(again.phoneFor({ iccid: sim.iccid, imsi: null })).toBe('79161234500');
  });

  it('offers a number reported by two SIMs once, and sees a confirmation made by another host after a reload', async () => {
    const hostA = setup({ autoConfirm: true });
    await hostA.discovery.modemReady(modem('89701010000000000008', {}, { ownNumber: '79161230000' }));
    await hostA.discovery.modemReady(modem('89701010000000000009', {}, { ownNumber: '79161230000' }));
    expect(hostA.registry.offeredSims().filter((s) => s.phone === '79161230000')).toHaveLength(1);

    const shared = setup();
    const hostB = new SimRegistry({
      sims: [],
      operators: { mts: MTS },
      autoConfirm: false,
      defaultServices: [],
      store: shared.store,
    });
    await shared.discovery.modemReady(modem('89701010000000000010', {}, { ownNumber: '79161239999' }));
    await hostB.load();
    expect(hostB.offeredSims()).toEqual([]);
    await shared.registry.confirm('89701010000000000010');
    await hostB.load();
    expect(hostB.offeredSims().map((s) => s.phone)).toEqual(['79161239999']);
  });
});
