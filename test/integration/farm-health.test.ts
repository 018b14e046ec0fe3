import { afterEach, describe, expect, it } from 'vitest';
import { sharedCluster } from '../store/support/backends.js';
import { PG_BIN_DIR } from '../store/support/pg-cluster.js';
import { type InProcessRig, startInProcessRig } from './support/in-process-bridge.js';
import { offeredVk } from './support/rig-views.js';
import { delay, waitUntil } from './support/wait.js';

/**
 * Two hosts of one farm sharing PostgreSQL, each the whole bridge in this process over its own
 * emulated modems: a SIM unhealthy on one host is not offered by the other either.
 */

const HEARTBEAT_MS = 300;

describe.skipIf(PG_BIN_DIR === null)('SIM health across a farm', () => {
  const hosts: InProcessRig[] = [];

  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.close();
  });

  it("a host never offers another host's unhealthy SIM, and offers it again once healthy", async () => {
    const url = await (await sharedCluster()).createDatabase();
    const farm = (name: string) => ({
      storage: { postgres: url },
      node: { name, staleAfterMs: 3_000, heartbeatIntervalMs: HEARTBEAT_MS },
      health: { intervalMs: 1_000, readErrorsInARow: 2 },
    });
    hosts.push(await startInProcessRig(2, farm('host-a'), { identitySeed: 11 }));
    hosts.push(await startInProcessRig(1, farm('host-b'), { identitySeed: 12 }));
    const [a, b] = hosts as [InProcessRig, InProcessRig];
    await waitUntil(
      async () => (await offeredVk(b)) === 3 && (await offeredVk(a)) === 3,
      'three SIMs on both hosts',
      15_000,
    );

    // Registered and up, but every read fails: only its health says it cannot receive.
    a.modems[1]?.setReadsFailing(true);
    await a.modems[1]?.injectSms({ sender: 'VK', text: 'VK: 4242' });
    await waitUntil(async () => (await offeredVk(b)) === 2, "host B stops offering A's SIM", 10_000);
    // And it stays out, also while its modem is up between the re-inits its refusals cause.
    const samples: number[] = [];
    for (let i = 0; i < 8; i++) {
      samples.push(await offeredVk(b));
      await delay(150);
    }
    expect(samples).toEqual(Array(8).fill(2));
    expect(await offeredVk(a)).toBe(2);
    const sold = await b.reseller({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
    });
    const soldAgain = await b.reseller({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
    });
    expect([sold.number, soldAgain.number]).not.toContain(Number(a.phones[1]));

    a.modems[1]?.setReadsFailing(false);
    // The next sweep reads fine (poll 500 ms), then host A's next heartbeat.
    await waitUntil(async () => (await offeredVk(b)) === 1, 'offered again (the other two are sold)', 5_000);
    const third = await b.reseller({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
    });
    expect(third.number).toBe(Number(a.phones[1]));
  }, 60_000);
});
