import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/log.js';
import type { LiveSimRecord } from '../../src/reseller/live-sims.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/open-store.js';
import { PgChangeFeed } from '../../src/store/postgres/pg-change-feed.js';
import { createPool } from '../../src/store/postgres/pg-connection.js';
import { PgFarm } from '../../src/store/postgres/pg-farm.js';
import { runPgMigrations } from '../../src/store/postgres/pg-migrate.js';
import { PgSimNumberStore } from '../../src/store/postgres/pg-sim-numbers.js';
import { sharedCluster } from './support/backends.js';
import { PG_BIN_DIR } from './support/pg-cluster.js';

/*
 * A farm on one PostgreSQL store reads the SIM numbers and the other hosts' SIMs once per change,
 * not once per heartbeat or twice per status refresh: each host keeps what it read until a host
 * writes (its own write, or another host's through the store's change notifications).
 */

const T0 = 1_700_000_000_000;
const STALE_MS = 10_000;
const ICCID = '8970101123456789012';
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const close of closers.splice(0).reverse()) await close();
});

/** Hosts on one fresh database, each with its pool, change feed, SIM numbers and farm view. */
async function hosts(names: readonly string[]) {
  const url = await (await sharedCluster()).createDatabase();
  const migrator = createPool(url);
  await runPgMigrations(migrator, MIGRATIONS);
  await migrator.end();
  return Promise.all(
    names.map(async (name) => {
      const pool = createPool(url, { applicationName: name });
      const feed = new PgChangeFeed({ url, applicationName: name, log: silentLogger() });
      await feed.start();
      closers.push(async () => {
        await feed.close();
        await pool.end();
      });
      return {
        feed,
        sims: new PgSimNumberStore(pool, feed),
        farm: new PgFarm(pool, { node: name, staleAfterMs: STALE_MS }, feed),
      };
    }),
  );
}

/** Counts the statements sent to the server whose text contains `fragment`. */
function countQueries(fragment: string): () => number {
  const spy = vi.spyOn(pg.Client.prototype, 'query');
  return () =>
    spy.mock.calls.filter(([text]) => {
      const sql = typeof text === 'string' ? text : (text as { text?: string } | undefined)?.text;
      return typeof sql === 'string' && sql.includes(fragment);
    }).length;
}

function record(phone: string, simKey = ICCID): LiveSimRecord {
  return {
    simKey,
    iccid: simKey,
    phone,
    country: 'russia',
    operator: 'mts',
    services: ['vk'],
    online: true,
    registered: true,
  };
}

describe.skipIf(PG_BIN_DIR === null)('PostgreSQL farm reads, cached until a write', () => {
  it('reads sim_numbers once while nothing changes, again after a write by this host or another', async () => {
    const [a, b] = await hosts(['host-a', 'host-b']);
    if (!a || !b) throw new Error('hosts missing');
    expect(a.feed.listening).toBe(true);
    const reads = countQueries('FROM sim_numbers');
    expect(await a.sims.listDiscovered()).toEqual([]);
    // One heartbeat interval after another, as the SIM registry reloads on a farm.
    for (let beat = 0; beat < 5; beat++) expect(await a.sims.listDiscovered()).toEqual([]);
    expect(reads()).toBe(1);

    await a.sims.saveDiscovered({
      iccid: ICCID,
      imsi: null,
      phone: '79161234567',
      source: 'ussd',
      operator: 'mts',
      discoveredAtMs: T0,
    });
    await a.feed.sync();
    expect((await a.sims.listDiscovered()).map((row) => row.confirmedAtMs)).toEqual([null]);
    expect(await a.sims.listDiscovered()).toHaveLength(1);
    expect(reads()).toBe(2);

    // Host b confirms it (simbridge sims confirm on b): a sees the confirmation, by one read.
    expect(await b.sims.confirm(ICCID, T0 + 5)).toBe(true);
    await a.feed.sync();
    expect((await a.sims.listDiscovered()).map((row) => row.confirmedAtMs)).toEqual([T0 + 5]);
    for (let beat = 0; beat < 5; beat++) await a.sims.listDiscovered();
    expect(reads()).toBe(3);
  });

  it("reads the other hosts' SIMs once per change: one status refresh asking twice reads once", async () => {
    const [a, b] = await hosts(['host-a', 'host-b']);
    if (!a || !b) throw new Error('hosts missing');
    await a.farm.heartbeat([], T0);
    await b.farm.heartbeat([record('79001112233')], T0);
    await a.feed.sync();
    const reads = countQueries('FROM live_sims s JOIN nodes');
    // The status page asks for the live SIMs twice (health facts, operations with rent details).
    expect((await a.farm.otherHostsSims(T0 + 1)).map((s) => s.phone)).toEqual(['79001112233']);
    expect((await a.farm.otherHostsSims(T0 + 2)).map((s) => s.phone)).toEqual(['79001112233']);
    expect(reads()).toBe(1);

    // Host b's next heartbeat changes what it has: a reads again and sees it.
    await b.farm.heartbeat([record('79001112233'), record('79004445566', '8970101000000000002')], T0 + 3);
    await a.feed.sync();
    expect((await a.farm.otherHostsSims(T0 + 4)).map((s) => s.phone).sort()).toEqual([
      '79001112233',
      '79004445566',
    ]);
    expect(reads()).toBe(2);
    // Staleness is judged on every call from the heartbeat time read with the rows.
    expect(await a.farm.otherHostsSims(T0 + 3 + STALE_MS + 1)).toEqual([]);
    // This host's own heartbeat may take a SIM over from another: read again.
    await a.farm.heartbeat([record('79004445566', '8970101000000000002')], T0 + 5);
    expect((await a.farm.otherHostsSims(T0 + 6)).map((s) => s.phone)).toEqual(['79001112233']);
    expect(reads()).toBe(3);
  });

  it('reads through on every call while the change feed is not listening', async () => {
    const [a] = await hosts(['host-a']);
    if (!a) throw new Error('host missing');
    await a.feed.close();
    const reads = countQueries('FROM sim_numbers');
    await a.sims.listDiscovered();
    await a.sims.listDiscovered();
    expect(reads()).toBe(2);
  });

  it('is wired by openStore: the registry reloads of a farm host read once', async () => {
    const url = await (await sharedCluster()).createDatabase();
    const store = await openStore(
      {
        storage: { sqlite: '', postgres: url },
        node: { name: 'host-a', staleAfterMs: STALE_MS, heartbeatIntervalMs: 1_000 },
      },
      { clock: () => T0 },
    );
    closers.push(() => store.close());
    const reads = countQueries('FROM sim_numbers');
    for (let beat = 0; beat < 4; beat++) await store.sims.listDiscovered();
    expect(reads()).toBe(1);
  });
});
