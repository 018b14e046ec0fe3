import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import type { FarmRegistry, LiveSimRecord } from '../../src/reseller/live-sims.js';
import { FarmHeartbeat } from '../../src/store/farm-heartbeat.js';

function record(simKey: string, health?: 'healthy' | 'unhealthy'): LiveSimRecord {
  return {
    simKey,
    iccid: simKey,
    phone: `7900000000${simKey.slice(-1)}`,
    country: 'russia',
    operator: 'mts',
    services: ['vk'],
    online: true,
    registered: true,
    ...(health ? { health, healthReason: health === 'unhealthy' ? 'read_errors' : null } : {}),
  };
}

describe('farm heartbeat and SIM health', () => {
  it('leaves unhealthy SIMs out of the beat, so no other host offers them', async () => {
    const beats: string[][] = [];
    const farm: FarmRegistry = {
      heartbeat: async (sims) => void beats.push(sims.map((s) => s.simKey)),
      otherHostsSims: async () => [],
    };
    let sims = [record('a1', 'healthy'), record('a2', 'unhealthy'), record('a3')];
    const heartbeat = new FarmHeartbeat({ farm, sims: () => sims, intervalMs: 60_000, log: silentLogger() });
    await heartbeat.beat();
    sims = [record('a1', 'healthy'), record('a2', 'healthy'), record('a3')];
    await heartbeat.beat();
    expect(beats).toEqual([
      ['a1', 'a3'],
      ['a1', 'a2', 'a3'],
    ]);
  });
});
