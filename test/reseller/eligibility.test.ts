import { describe, expect, it } from 'vitest';
import type { ModemSnapshot } from '../../src/modem/types.js';
import { candidateSims, isExcluded, normaliseExclusions } from '../../src/reseller/eligibility.js';
import { countServices } from '../../src/reseller/inventory.js';
import { joinLiveSims } from '../../src/reseller/live-sims.js';
import { makeSims } from './support/harness.js';
import { modemSnapshot } from './support/modem-snapshot.js';

describe('exceptionPhoneSet', () => {
  it('normalises integers and strings to digit prefixes and drops empty entries', () => {
    expect(normaliseExclusions([46950, '7918', '+7 (928) 1', '', 'abc'])).toEqual(['46950', '7918', '79281']);
    expect(normaliseExclusions(undefined)).toEqual([]);
  });

  it('excludes by prefix, not by equality', () => {
    expect(isExcluded('46950123456', ['46950'])).toBe(true);
    expect(isExcluded('46951123456', ['46950'])).toBe(false);
    expect(isExcluded('79281234567', ['7918', '79281'])).toBe(true);
    expect(isExcluded('79181234567', [])).toBe(false);
  });
});

describe('candidateSims', () => {
  const sims = [
    ...makeSims(2), // 79000000000 mts, 79000000001 beeline
    { ...makeSims(1, {}, 2)[0]!, online: false },
    { ...makeSims(1, {}, 3)[0]!, registered: false },
    { ...makeSims(1, {}, 4)[0]!, country: 'germany', phone: '4915100000004' },
    { ...makeSims(1, {}, 6)[0]!, services: ['telegram'] },
  ];
  const phones = (filter: Parameters<typeof candidateSims>[1]) =>
    candidateSims(sims, filter).map((s) => s.phone);

  it('keeps live SIMs of the country offering the service; operator any matches all', () => {
    expect(phones({ country: 'russia', operator: 'any', service: 'vk', exclusions: [] })).toEqual([
      '79000000000',
      '79000000001',
    ]);
    expect(phones({ country: 'RUSSIA', operator: 'Beeline', service: 'VK', exclusions: [] })).toEqual([
      '79000000001',
    ]);
    expect(phones({ country: 'germany', operator: 'any', service: 'vk', exclusions: [] })).toEqual([
      '4915100000004',
    ]);
    expect(phones({ country: 'russia', operator: 'any', service: 'telegram', exclusions: [] })).toEqual([
      '79000000006',
    ]);
  });

  it('drops excluded prefixes', () => {
    expect(
      phones({ country: 'russia', operator: 'any', service: 'vk', exclusions: ['79000000001'] }),
    ).toEqual(['79000000000']);
    expect(phones({ country: 'russia', operator: 'any', service: 'vk', exclusions: ['7900'] })).toEqual([]);
  });
});

describe('countServices', () => {
  const none = { busyPhones: new Set<string>(), spentServices: new Map<string, Set<string>>() };

  it('counts per operator and gives any as the sum over operators', () => {
    const sims = makeSims(5); // mts: 0,2,4; beeline: 1,3
    expect(countServices(sims, none)).toEqual([
      {
        country: 'russia',
        operatorMap: {
          mts: { vk: 3, instagram: 3 },
          beeline: { vk: 2, instagram: 2 },
          any: { vk: 5, instagram: 5 },
        },
      },
    ]);
  });

  it('leaves out offline and unregistered SIMs, busy SIMs and spent services', () => {
    const sims = [
      ...makeSims(4),
      { ...makeSims(1, {}, 4)[0]!, online: false },
      { ...makeSims(1, {}, 6)[0]!, registered: false },
    ];
    const availability = {
      busyPhones: new Set(['79000000000']),
      spentServices: new Map([['79000000002', new Set(['vk'])]]),
    };
    const [russia] = countServices(sims, availability);
    expect(russia?.operatorMap).toEqual({
      mts: { vk: 0, instagram: 1 },
      beeline: { vk: 2, instagram: 2 },
      any: { vk: 2, instagram: 3 },
    });
  });

  it('never over-reports: a phone listed twice counts once, an operator named any only in the sum', () => {
    const [twice] = makeSims(1);
    const anyOperator = makeSims(1, { operator: 'ANY' }, 1);
    const [russia] = countServices([twice!, { ...twice! }, ...anyOperator], none);
    expect(russia?.operatorMap).toEqual({ mts: { vk: 1, instagram: 1 }, any: { vk: 2, instagram: 2 } });
  });

  it('lists nothing when no SIM is live', () => {
    expect(countServices(makeSims(3, { online: false }), none)).toEqual([]);
  });
});

describe('joinLiveSims', () => {
  const snapshot = (iccid: string, state: ModemSnapshot['state'], registered: boolean): ModemSnapshot =>
    modemSnapshot(iccid, { state, registered });

  it('joins config SIMs to modems by ICCID or IMSI; unseen SIMs are offline, SIMs without country left out', () => {
    const sims = [
      { iccid: '8970101234567890123', phone: '79000000001', country: 'russia', operator: 'mts' },
      {
        iccid: '8970101234567890124',
        phone: '79000000002',
        country: 'russia',
        operator: 'mts',
        services: ['vk'],
      },
      { iccid: '8970101234567890125', phone: '79000000003', country: 'russia', operator: 'mts' },
      { imsi: '250011234567890', phone: '79000000004', country: 'russia', operator: 'mts' },
      { iccid: '8970101234567890126', phone: '79000000005' },
    ];
    const live = joinLiveSims(
      sims,
      [
        snapshot('8970101234567890123F', 'ready', true),
        snapshot('8970101234567890124', 'recovering', true),
        {
          ...snapshot('8970101234567890199', 'ready', true),
          identity: { ...snapshot('x', 'ready', true).identity!, imsi: '250011234567890', iccid: null },
        },
        snapshot('8970101234567890126', 'ready', true),
      ],
      ['instagram'],
    );
    expect(
      live.map(({ phone, online, registered, services }) => ({ phone, online, registered, services })),
    ).toEqual([
      { phone: '79000000001', online: true, registered: true, services: ['instagram'] },
      { phone: '79000000002', online: false, registered: true, services: ['vk'] },
      { phone: '79000000003', online: false, registered: false, services: ['instagram'] },
      { phone: '79000000004', online: true, registered: true, services: ['instagram'] },
    ]);
  });
});
