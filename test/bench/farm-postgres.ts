/**
 * One host on SQLite next to three hosts on one PostgreSQL, with the same 48 emulated modems
 * (48 on the one host; 16 on each of the three), each host a `simbridge run` process (sources,
 * through tsx) and one mock Onlinesim answering 200:
 *
 * - push latency: a steady stream (BENCH_FARM_RATE SMS/s, default 24, for BENCH_FARM_STEADY_S
 *   seconds, default 8), from the SMS entering the emulated network to its PUSH_SMS reaching
 *   the mock; it includes the modem's wire time at 115200 baud;
 * - durable SMS/s: a flood of BENCH_FARM_FLOOD SMS per modem (default 10) injected at once,
 *   counted as committed rows per second until all are stored.
 *
 *   node --import tsx test/bench/farm-postgres.ts
 *
 * Needs the PostgreSQL server binaries (apt-get install postgresql); prints one line and exits
 * 0 without them. Writes bench-results/farm-postgres.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgFarmRig } from '../integration/support/pg-farm-rig.js';
import { delay, waitUntil } from '../integration/support/wait.js';
import { PG_BIN_DIR, PG_SKIP_REASON } from '../store/support/pg-cluster.js';
import { type Distribution, distribution, rounded } from './lib/stats.js';

const env = process.env;
const RATE = Number(env.BENCH_FARM_RATE ?? 24);
const STEADY_MS = Number(env.BENCH_FARM_STEADY_S ?? 8) * 1000;
const FLOOD_PER_MODEM = Number(env.BENCH_FARM_FLOOD ?? 10);
const MODEMS = 48;

interface SetupResult {
  setup: string;
  hosts: number;
  modems: number;
  latencyMs: Distribution;
  durableSmsPerS: number;
  flood: number;
  lost: number;
}

async function measure(store: 'sqlite' | 'postgres', hosts: number): Promise<SetupResult> {
  const rig = await PgFarmRig.start({ hosts, modemsPerHost: MODEMS / hosts, store });
  try {
    await rig.openOperations(1_000);
    // Steady stream, round robin over the SIMs.
    const injectedAt = new Map<string, number>();
    const count = Math.round((RATE * STEADY_MS) / 1000);
    const started = Date.now();
    for (let i = 0; i < count; i += 1) {
      const due = started + (i * 1000) / RATE;
      if (due > Date.now()) await delay(due - Date.now());
      const sim = rig.sims[i % rig.sims.length];
      if (!sim) continue;
      const text = `steady ${i} code ${100_000 + i}`;
      injectedAt.set(text, Date.now());
      void sim.modem.injectSms({ sender: 'Bank', text });
    }
    await rig.allDelivered([...injectedAt.keys()], 120_000);
    const firstPush = new Map<string, number>();
    for (const record of rig.onlinesim.records) {
      if (record.status === 200 && record.text !== null && !firstPush.has(record.text)) {
        firstPush.set(record.text, record.request.atMs);
      }
    }
    const latencies = [...injectedAt].map(([text, at]) => (firstPush.get(text) ?? Number.NaN) - at);

    // Flood: every modem receives FLOOD_PER_MODEM at once.
    const before = await rig.storedCount();
    const flood = FLOOD_PER_MODEM * rig.sims.length;
    const floodStart = Date.now();
    await Promise.all(
      rig.sims.map(async (sim) => {
        for (let n = 0; n < FLOOD_PER_MODEM; n += 1) {
          await sim.modem.injectSms({ sender: 'Bank', text: `flood ${sim.phone} ${n}` });
        }
      }),
    );
    let stored = before;
    await waitUntil(
      async () => {
        stored = await rig.storedCount();
        return stored >= before + flood;
      },
      `${flood} flood SMS stored`,
      180_000,
      100,
    );
    const floodMs = Date.now() - floodStart;
    return {
      setup: `${hosts} host${hosts === 1 ? '' : 's'}, ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
      hosts,
      modems: rig.sims.length,
      latencyMs: rounded(distribution(latencies.filter(Number.isFinite)), 0),
      durableSmsPerS: Math.round((flood * 1000) / floodMs),
      flood,
      lost: latencies.filter((l) => !Number.isFinite(l)).length + Math.max(0, before + flood - stored),
    };
  } finally {
    await rig.close();
  }
}

if (PG_BIN_DIR === null) {
  console.log(PG_SKIP_REASON);
} else {
  const setups = (env.BENCH_FARM_SETUPS ?? 'sqlite:1,postgres:3').split(',').map((s) => s.split(':'));
  const results: SetupResult[] = [];
  for (const [store, hosts] of setups)
    results.push(await measure(store === 'postgres' ? 'postgres' : 'sqlite', Number(hosts)));
  console.log(
    `farm: ${MODEMS} modems, steady ${RATE} SMS/s for ${STEADY_MS / 1000} s, flood ${FLOOD_PER_MODEM}/modem`,
  );
  console.log('setup                   | push latency p50 / p95 / p99 / max ms | durable SMS/s | lost');
  for (const r of results) {
    const l = r.latencyMs;
    console.log(
      `${r.setup.padEnd(23)} | ${`${l.p50} / ${l.p95} / ${l.p99} / ${l.max}`.padEnd(37)} | ${String(r.durableSmsPerS).padEnd(13)} | ${r.lost}`,
    );
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(join('bench-results', 'farm-postgres.json'), `${JSON.stringify(results, null, 2)}\n`);
}
