import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { type OpenedStore, openStore } from '../../src/store/open-store.js';
import type { PgRepository } from '../../src/store/postgres/pg-repository.js';
import type { IngestInput, MessageInput } from '../../src/store/repository.js';
import { sharedCluster } from './support/backends.js';
import { PG_BIN_DIR } from './support/pg-cluster.js';
import { fakeClock } from './support/temp-db.js';

/*
 * Several hosts on one PostgreSQL store: each "host" here is its own `openStore` (own pool, own
 * node name) on one database, as three `simbridge run` processes would be.
 */

const T0 = 1_700_000_000_000;
const STALE_MS = 10_000;
const opened: OpenedStore[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function hosts(names: readonly string[], clock = fakeClock(T0)): Promise<OpenedStore[]> {
  const url = await (await sharedCluster()).createDatabase();
  // Started together, as a farm after a power cut: migrations must not trip over each other.
  const stores = await Promise.all(
    names.map((name) =>
      openStore(
        {
          storage: { sqlite: '', postgres: url },
          node: { name, staleAfterMs: STALE_MS, heartbeatIntervalMs: 1_000 },
        },
        { clock },
      ),
    ),
  );
  opened.push(...stores);
  return stores;
}

function message(n: number, simKey = '8970101000000000001'): MessageInput {
  return {
    simKey,
    iccid: simKey,
    imsi: null,
    port: '/dev/ttyUSB0',
    phone: '79001112233',
    storage: 'SM',
    storageIndex: n,
    rawPdu: `0791${n}`,
    rawText: null,
    dedupeKey: `${simKey}-${n}`,
    sender: 'Bank',
    senderType: 'alphanumeric',
    text: `code ${n}`,
    encoding: 'gsm7',
    scTimestamp: null,
    receivedAtMs: T0,
  };
}

const routed = (n: number): IngestInput => ({
  kind: 'single',
  message: message(n),
  route: { kind: 'push', phone: '79001112233' },
});

describe.skipIf(PG_BIN_DIR === null)('PostgreSQL store shared by several hosts', () => {
  it('stores a message read on two hosts at once (a moved SIM) once, with one push', async () => {
    const [a, b] = await hosts(['host-a', 'host-b']);
    if (!a || !b) throw new Error('hosts missing');
    await a.repository.createOperation({ phone: '79001112233', service: 'vk', source: 'admin', nowMs: T0 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).repository.ingest(routed(Math.floor(i / 2) % 5), T0),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(5);
    const stats = await b.repository.stats(T0);
    expect(stats.pushesByState.pending).toBe(5);
    expect(stats.counters.duplicate_reads).toBe(15);
  });

  it('lets a host take over a push only once the lease ended and its owner is unheard', async () => {
    const clock = fakeClock(T0);
    const [a, b] = await hosts(['host-a', 'host-b'], clock);
    if (!a?.farm || !b?.farm) throw new Error('hosts missing');
    await a.repository.createOperation({ phone: '79001112233', service: 'vk', source: 'admin', nowMs: T0 });
    await a.farm.heartbeat([], T0);
    await b.farm.heartbeat([], T0);
    const { pushId, leasedPush } = await a.repository.ingest(routed(1), T0, { leaseUntilMs: T0 + 1_000 });
    expect(leasedPush?.id).toBe(pushId);
    // b has only just connected: it leaves other hosts' ended leases alone.
    clock.set(T0 + 2_000);
    expect(await b.repository.claimDue(clock(), 8, clock() + 1_000)).toEqual([]);
    // a is still heard from (it may be waiting to record an answer it has): still not b's.
    clock.set(T0 + STALE_MS + 1);
    await a.farm.heartbeat([], clock());
    await b.farm.heartbeat([], clock());
    expect(await b.repository.claimDue(clock(), 8, clock() + 1_000)).toEqual([]);
    // a went silent for staleAfterMs: b sends it, and counts the possible duplicate.
    clock.set(T0 + 2 * STALE_MS + 2);
    await b.farm.heartbeat([], clock());
    const taken = await b.repository.claimDue(clock(), 8, clock() + 1_000);
    expect(taken.map((p) => p.id)).toEqual([pushId]);
    expect((await b.repository.stats(clock())).counters.duplicate_window).toBe(1);
    // a comes back after a restart: its start releases only its own leases, and b's is not one.
    expect(await a.repository.releaseAbandonedLeases(clock())).toBe(0);
  });

  it('hands each of 10 free numbers to exactly one of 100 concurrent GET_NUMBER calls on 3 hosts', async () => {
    const farm = await hosts(['host-a', 'host-b', 'host-c']);
    const phones = Array.from({ length: 10 }, (_, i) => `7900000000${i}`);
    const calls = Array.from({ length: 100 }, (_, i) =>
      (farm[i % 3] as OpenedStore).reseller.claimNumber({
        candidatePhones: phones,
        service: 'vk',
        country: 'russia',
        operator: 'any',
        offeredSum: null,
        nowMs: T0 + i,
      }),
    );
    const claimed = (await Promise.all(calls)).filter((c) => c !== null);
    expect(claimed).toHaveLength(10);
    expect(new Set(claimed.map((c) => c.phone)).size).toBe(10);
    // FINISH_ACTIVATION on another host than the one that sold it.
    const first = claimed[0];
    if (!first) throw new Error('no claim');
    const outcome = await (farm[2] as OpenedStore).reseller.finishActivation({
      activationId: first.operationId,
      status: 4,
      sum: null,
      nowMs: T0 + 500,
    });
    expect(outcome).toMatchObject({ kind: 'closed', phone: first.phone });
    expect((await (farm[0] as OpenedStore).repository.getOperation(first.operationId))?.status).toBe(
      'finished',
    );
  });

  it("offers other hosts' SIMs while they beat, not once they are stale, and follows a moved SIM", async () => {
    const [a, b] = await hosts(['host-a', 'host-b']);
    if (!a?.farm || !b?.farm) throw new Error('hosts missing');
    const sim = {
      simKey: '8970101000000000001',
      iccid: '8970101000000000001',
      phone: '79001112233',
      country: 'russia',
      operator: 'mts',
      services: ['vk'],
      online: true,
      registered: true,
    };
    await a.farm.heartbeat([sim], T0);
    await b.farm.heartbeat([], T0);
    expect((await b.farm.otherHostsSims(T0 + 1)).map((s) => s.phone)).toEqual(['79001112233']);
    expect(await a.farm.otherHostsSims(T0 + 1)).toEqual([]);
    expect(await b.farm.otherHostsSims(T0 + STALE_MS + 1)).toEqual([]);
    // Moved to b: a's next beat no longer lists it, and a sees it as b's.
    await b.farm.heartbeat([sim], T0 + 2);
    await a.farm.heartbeat([], T0 + 3);
    expect((await a.farm.otherHostsSims(T0 + 4)).map((s) => s.phone)).toEqual(['79001112233']);
    expect(await b.farm.otherHostsSims(T0 + 4)).toEqual([]);
  });

  it('waits at start for a server that is down, when asked to, instead of failing', async () => {
    const url = await (await sharedCluster()).createDatabase();
    const cluster = await sharedCluster();
    const config = {
      storage: { sqlite: '', postgres: url },
      node: { name: 'host-late', staleAfterMs: STALE_MS, heartbeatIntervalMs: 1_000 },
    };
    cluster.stopServer();
    try {
      await expect(openStore(config)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      const waits: number[] = [];
      const opening = openStore(config, {
        retryMs: 50,
        onUnreachable: (_err, retryMs) => {
          waits.push(retryMs);
          if (waits.length === 3) cluster.startServer();
        },
      });
      const store = await opening;
      opened.push(store);
      expect(waits).toEqual([50, 100, 200]);
      expect(store.migrated).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      if (!cluster.running) cluster.startServer();
    }
  });

  it('fails writes as STORE_UNAVAILABLE while the server is down, and works again once it is back', async () => {
    const [a] = await hosts(['host-a']);
    if (!a) throw new Error('host missing');
    const repo = a.repository as PgRepository;
    await repo.createOperation({ phone: '79001112233', service: 'vk', source: 'admin', nowMs: T0 });
    const { pushId } = await repo.ingest(routed(1), T0);
    const cluster = await sharedCluster();
    cluster.stopServer();
    try {
      await expect(repo.ingest(routed(2), T0)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await expect(repo.checkWritable()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      // An answer already in hand waits for the server rather than being lost.
      const recorded = repo.recordDelivered({
        pushId: pushId ?? -1,
        attempt: 1,
        startedAtMs: T0,
        finishedAtMs: T0 + 1,
        httpStatus: 200,
        errorName: null,
        responseSnippet: null,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      cluster.startServer();
      await recorded;
    } finally {
      if (!cluster.running) cluster.startServer();
    }
    expect(await repo.ingest(routed(2), T0)).toMatchObject({ duplicate: false });
    expect((await repo.stats(T0)).pushesByState).toMatchObject({ delivered: 1, pending: 1 });
  });
});
