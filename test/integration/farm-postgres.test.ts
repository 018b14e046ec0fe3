import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_BIN_DIR } from '../store/support/pg-cluster.js';
import { FARM_PG_PASSWORD, FARM_TIMINGS, type FarmSim, PgFarmRig } from './support/pg-farm-rig.js';
import { delay, waitUntil } from './support/wait.js';

/*
 * One farm on three hosts: three `simbridge run` processes, 16 emulated modems each, one
 * PostgreSQL server. The cases run in order on one farm, as its life would go: a stream, the
 * partner's calls on any host, a host killed mid-stream (its SIMs then moved to another host),
 * and the database stopped mid-stream.
 *
 * SIMBRIDGE_PG_OUTAGE_MS sets how long the database stays down (default 8 s; the chaos run
 * uses 30 s).
 */

const HOSTS = 3;
const MODEMS_PER_HOST = 16;
/** Farm-wide SIM indexes that also sell `wa`: 10 SIMs spread over the three hosts. */
const WA_SIMS = new Set([0, 1, 2, 3, 16, 17, 18, 32, 33, 34]);
const OUTAGE_MS = Number(process.env.SIMBRIDGE_PG_OUTAGE_MS ?? 8_000);

let serial = 0;
/** Injects `perSim` SMS on each of `sims`, each with a text unique in the run. */
async function stream(sims: readonly FarmSim[], perSim: number, label: string): Promise<string[]> {
  const texts: string[] = [];
  for (let round = 0; round < perSim; round += 1) {
    for (const sim of sims) {
      serial += 1;
      const text = `${label} ${serial} code ${1000 + serial}`;
      texts.push(text);
      await sim.modem.injectSms({ sender: 'Bank', text });
    }
  }
  return texts;
}

function expectExactlyOnce(rig: PgFarmRig, texts: readonly string[]): void {
  const counts = rig.deliveredCounts();
  const missing = texts.filter((t) => (counts.get(t) ?? 0) === 0);
  const doubled = texts.filter((t) => (counts.get(t) ?? 0) > 1);
  expect({ missing: missing.length, doubled: doubled.length }).toEqual({ missing: 0, doubled: 0 });
}

describe.skipIf(PG_BIN_DIR === null)('one farm on three hosts sharing PostgreSQL', () => {
  let rig: PgFarmRig;

  beforeAll(async () => {
    rig = await PgFarmRig.start({
      hosts: HOSTS,
      modemsPerHost: MODEMS_PER_HOST,
      servicesOf: (index) => (WA_SIMS.has(index) ? ['vk', 'wa'] : ['vk']),
    });
  }, 180_000);

  afterAll(async () => {
    await rig?.close();
  }, 60_000);

  it('pushes a stream from 48 modems on three hosts exactly once', async () => {
    const operations = await rig.openOperations(1_000);
    const texts = await stream(rig.sims, 2, 'stream');
    await rig.allDelivered(texts, 60_000);
    await delay(FARM_TIMINGS.retryDelayMs * 2);
    expectExactlyOnce(rig, texts);
    const [row] = await rig.query<{ n: number }>(
      "SELECT COUNT(*)::int AS n FROM messages WHERE status = 'delivered'",
    );
    expect(row?.n).toBe(texts.length);
    // Each host pushed its own SIMs' messages.
    const byNode = await rig.query<{ node: string }>(
      'SELECT DISTINCT node FROM push_attempts WHERE http_status = 200',
    );
    expect(byNode.map((r) => r.node).sort()).toEqual(['host-a', 'host-b', 'host-c']);
    // The password came from ${FARM_PG_PASSWORD} and is in no log line.
    expect(rig.allOutput()).not.toContain(FARM_PG_PASSWORD);
    // Ended on another host than the one that opened them: the SIMs are free to sell.
    await rig.endOperations(operations.values(), 1);
  }, 90_000);

  it('counts the whole farm on every host and hands 10 SIMs to 100 concurrent GET_NUMBER calls', async () => {
    // Every host has heard the others' heartbeats: each counts all 10 `wa` SIMs.
    for (let h = 0; h < HOSTS; h += 1) {
      await waitUntil(
        async () => {
          const answer = await rig.reseller(h, { action: 'GET_SERVICES' });
          const list = answer.countryList as Array<{
            country: string;
            operatorMap: Record<string, Record<string, number>>;
          }>;
          return list[0]?.operatorMap.any?.wa === 10;
        },
        `host ${h} counting 10 free wa SIMs`,
        10_000,
        200,
      );
    }
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        rig.reseller(i % HOSTS, {
          action: 'GET_NUMBER',
          country: 'russia',
          operator: 'any',
          service: 'wa',
          sum: 5,
        }),
      ),
    );
    const sold = answers.filter((a) => a.status === 'SUCCESS');
    expect(sold).toHaveLength(10);
    expect(answers.filter((a) => a.status === 'NO_NUMBERS')).toHaveLength(90);
    expect(new Set(sold.map((a) => String(a.number))).size).toBe(10);
    const waPhones = new Set(rig.sims.filter((_, i) => WA_SIMS.has(i)).map((s) => s.phone));
    expect(sold.every((a) => waPhones.has(String(a.number)))).toBe(true);
    for (let h = 0; h < HOSTS; h += 1) {
      const answer = await rig.reseller(h, { action: 'GET_SERVICES' });
      const list = answer.countryList as Array<{ operatorMap: Record<string, Record<string, number>> }>;
      expect(list[0]?.operatorMap.any?.wa).toBe(0);
    }
    // FINISH_ACTIVATION on a host other than the one that answered GET_NUMBER ends it.
    for (const [i, answer] of sold.entries()) {
      const finish = await rig.reseller((i + 1) % HOSTS, {
        action: 'FINISH_ACTIVATION',
        activationId: answer.activationId,
        status: 3,
      });
      expect(finish.status).toBe('SUCCESS');
    }
    const finished = await rig.query<{ n: number }>(
      "SELECT COUNT(*)::int AS n FROM operations WHERE source = 'reseller' AND status = 'finished' AND finish_status = 3",
    );
    expect(finished[0]?.n).toBe(10);
    await rig.openOperations(2_000);
  }, 60_000);

  it('loses nothing when one host is killed mid-stream: the others finish its pushes', async () => {
    // A slow peer, so host-c holds leased and pending pushes when it dies.
    rig.onlinesim.fallback = { status: 200, body: { status: 'SUCCESS' }, delayMs: 400 };
    const texts = await stream(rig.sims, 2, 'kill');
    const hostC = rig.simsOf(2);
    const cTexts = new Set(texts.filter((_, i) => hostC.includes(rig.sims[i % rig.sims.length] as FarmSim)));
    await waitUntil(() => {
      const counts = rig.deliveredCounts();
      return [...cTexts].some((t) => counts.has(t));
    }, 'host-c delivering');
    await rig.host(2).bridge.kill9();
    rig.onlinesim.fallback = { status: 200, body: { status: 'SUCCESS' } };
    // Its modems (and the SMS still on their SIMs) go to host-a.
    rig.moveSims(2, 0);
    await rig.allDelivered(texts, 90_000);
    await delay(FARM_TIMINGS.retryDelayMs * 2);
    const counts = rig.deliveredCounts();
    expect(texts.filter((t) => (counts.get(t) ?? 0) === 0)).toEqual([]);
    // A push in flight at the kill may have reached the peer: such repeats are counted.
    const repeats = texts.reduce((sum, t) => sum + Math.max(0, (counts.get(t) ?? 0) - 1), 0);
    const [window] = await rig.query<{ value: number }>(
      "SELECT COALESCE((SELECT value FROM counters WHERE name = 'duplicate_window'), 0)::int AS value",
    );
    expect(repeats).toBeLessThanOrEqual(window?.value ?? 0);
    // host-c's queued pushes were sent by the other hosts. Every text may have reached the peer
    // already (host-c died waiting for the slow answers), so wait for the pushes it left
    // unanswered to end, which only another host can do once host-c's leases run out.
    await waitUntil(
      async () => {
        const [left] = await rig.query<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM pushes p JOIN messages m ON m.id = p.message_id
           WHERE m.sim_key = ANY($1::text[]) AND p.state = 'pending'`,
          [hostC.map((s) => s.iccid)],
        );
        return left?.n === 0;
      },
      "host-c's pushes ended",
      30_000,
      200,
    );
    const takenOver = await rig.query<{ n: number }>(
      `SELECT COUNT(DISTINCT p.id)::int AS n FROM pushes p JOIN messages m ON m.id = p.message_id
       JOIN push_attempts a ON a.push_id = p.id AND a.http_status = 200
       WHERE m.sim_key = ANY($1::text[]) AND a.node <> 'host-c' AND m.port NOT LIKE '%modem-moved-%'`,
      [hostC.map((s) => s.iccid)],
    );
    expect(takenOver[0]?.n).toBeGreaterThan(0);
    // Every message of a moved SIM is stored once, though host-a may have read some again.
    const [stored] = await rig.query<{ n: number }>(
      "SELECT COUNT(*)::int AS n FROM messages WHERE text LIKE 'kill %'",
    );
    expect(stored?.n).toBe(texts.length);
  }, 150_000);

  it('loses and doubles nothing while PostgreSQL is down mid-stream, and resumes by itself', async () => {
    const live = rig.sims.filter((s) => s.host !== 2);
    const before = await stream(live, 1, 'outage');
    await rig.allDelivered(before.slice(0, 4), 30_000);
    rig.cluster.stopServer();
    const during = await stream(live, 1, 'outage');
    // The SMS stay on the SIMs: nothing is deleted without a commit.
    await delay(Math.min(OUTAGE_MS / 2, 3_000));
    const onSims = live.reduce((n, s) => n + s.modem.storedMessages().length, 0);
    expect(onSims).toBeGreaterThan(0);
    const health = await fetch(`${rig.host(0).adminUrl}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { warnings: string[] };
    expect(body.warnings[0]).toMatch(/PostgreSQL unreachable/);
    expect(JSON.stringify(body)).not.toContain(FARM_PG_PASSWORD);
    await delay(Math.max(0, OUTAGE_MS - Math.min(OUTAGE_MS / 2, 3_000)));
    rig.cluster.startServer();
    const texts = [...before, ...during];
    await rig.allDelivered(texts, 90_000);
    await delay(FARM_TIMINGS.retryDelayMs * 2);
    expectExactlyOnce(rig, texts);
    await waitUntil(
      async () => (await fetch(`${rig.host(0).adminUrl}/healthz`)).status === 200,
      'healthz ok again',
    );
    // Nor did the outage's connection errors put the password in any log line.
    expect(rig.allOutput()).not.toContain(FARM_PG_PASSWORD);
  }, 180_000);
});
