import { describe, expect, it } from 'vitest';
import type { ModemSnapshot } from '../../src/modem/types.js';
import { candidateSims } from '../../src/reseller/eligibility.js';
import { countServices } from '../../src/reseller/inventory.js';
import { joinLiveSims, localSimRecords } from '../../src/reseller/live-sims.js';
import { makeSims } from './support/harness.js';
import { modemSnapshot } from './support/modem-snapshot.js';

const NOTHING_SPENT = { busyPhones: new Set<string>(), spentServices: new Map<string, Set<string>>() };

describe('unhealthy SIMs are not offered', () => {
  const config = [
    { iccid: '8970100000000000001', phone: '79000000001', country: 'russia', operator: 'mts' },
    { iccid: '8970100000000000002', phone: '79000000002', country: 'russia', operator: 'mts' },
  ];
  const snapshots = [modemSnapshot('8970100000000000001'), modemSnapshot('8970100000000000002')];
  const healthOf = (s: ModemSnapshot) =>
    s.identity?.iccid === '8970100000000000002'
      ? ({ health: 'unhealthy', reason: 'read_errors' } as const)
      : ({ health: 'healthy', reason: null } as const);

  it('joinLiveSims carries the verdict; GET_SERVICES and GET_NUMBER skip the unhealthy SIM', () => {
    const live = joinLiveSims(config, snapshots, ['vk'], healthOf);
    expect(live.map((s) => [s.phone, s.health, s.healthReason])).toEqual([
      ['79000000001', 'healthy', null],
      ['79000000002', 'unhealthy', 'read_errors'],
    ]);
    expect(countServices(live, NOTHING_SPENT)).toEqual([
      { country: 'russia', operatorMap: { mts: { vk: 1 }, any: { vk: 1 } } },
    ]);
    const filter = { country: 'russia', operator: 'any', service: 'vk', exclusions: [] };
    expect(candidateSims(live, filter).map((s) => s.phone)).toEqual(['79000000001']);
  });

  it('without a health source (or a record from an older host) a SIM counts as healthy', () => {
    expect(countServices(joinLiveSims(config, snapshots, ['vk']), NOTHING_SPENT)[0]?.operatorMap.any).toEqual(
      {
        vk: 2,
      },
    );
    expect(countServices(makeSims(1), NOTHING_SPENT)).not.toEqual([]);
  });

  it('the heartbeat records carry the verdict too', () => {
    const records = localSimRecords(config, snapshots, ['vk'], healthOf);
    expect(records.map((r) => [r.simKey, r.health])).toEqual([
      ['8970100000000000001', 'healthy'],
      ['8970100000000000002', 'unhealthy'],
    ]);
  });
});
