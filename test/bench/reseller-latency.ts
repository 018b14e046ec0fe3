/**
 * Answer latency of the partner endpoint (target: p99 < 50 ms with 64 SIMs and concurrent
 * calls; Onlinesim drops answers after 10 s, onlinesim-reseller.md §3-§5).
 *
 *   npx tsx test/bench/reseller-latency.ts [rounds=40] [concurrency=32] [dbDir=os.tmpdir()]
 *
 * The endpoint runs in a child process (as in the daemon, the caller is another machine), over a
 * file database with the daemon's settings (WAL, synchronous=FULL). Each round fires
 * `concurrency` calls at once over real sockets: GET_SERVICES, GET_NUMBER and FINISH_ACTIVATION
 * (status 4, so SIMs come back) in equal shares. Warm-up rounds are not counted. Prints
 * p50/p90/p99/max per action and overall; latency includes waiting behind the other calls of
 * the same round.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { buildResellerServer } from '../../src/reseller/http/server.js';
import type { LiveSim } from '../../src/reseller/live-sims.js';
import { openDatabase, runMigrations } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { SqliteResellerStore } from '../../src/store/reseller-sqlite-store.js';

const KEY = 'bench-key-0123456789abcdef';
const SIM_COUNT = 64;
const WARMUP_ROUNDS = 5;
const serverMode = process.argv[2] === '--serve';
const rounds = Number(process.argv[2] ?? 40);
const concurrency = Number(process.argv[3] ?? 32);
const baseDir = (serverMode ? process.argv[3] : process.argv[4]) ?? tmpdir();

const sims: LiveSim[] = Array.from({ length: SIM_COUNT }, (_, i) => ({
  phone: `7900${String(i).padStart(7, '0')}`,
  country: i % 4 === 0 ? 'kazakhstan' : 'russia',
  operator: ['mts', 'beeline', 'megafon', 'tele2'][i % 4] ?? 'mts',
  services: ['vk', 'instagram', 'telegram', 'whatsapp', 'facebook'],
  online: true,
  registered: i % 16 !== 15,
}));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Child process: the endpoint over a fresh file database; prints its URL, stops on disconnect. */
async function serve(): Promise<void> {
  const dir = mkdtempSync(join(baseDir, 'simbridge-bench-'));
  const db = openDatabase(join(dir, 'bench.db'));
  runMigrations(db, MIGRATIONS);
  const app = buildResellerServer({
    apiKey: KEY,
    store: new SqliteResellerStore(db),
    sims: { liveSims: () => sims },
  });
  // Time spent inside the endpoint, from request start to response sent: what the farm adds,
  // without the bench client's own CPU time on a shared machine.
  const inside: number[] = [];
  app.onResponse((event) => inside.push(event.durationMs));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ url });
  process.on('message', (m) => {
    if ((m as { reset?: boolean }).reset) inside.length = 0;
    if ((m as { report?: boolean }).report) process.send?.({ inside });
  });
  process.on('disconnect', () => {
    void app.close().then(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', baseDir], { stdio: 'inherit' });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const agent = new Agent({ connections: concurrency * 2 });
  const samples: Record<string, number[]> = { GET_SERVICES: [], GET_NUMBER: [], FINISH_ACTIVATION: [] };
  const open: number[] = [];
  const services = ['vk', 'instagram', 'telegram', 'whatsapp', 'facebook'];
  let measuring = false;

  const call = async (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const started = performance.now();
    const res = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ key: KEY, ...body }),
    });
    const answer = (await res.body.json()) as Record<string, unknown>;
    if (measuring) samples[String(body.action)]?.push(performance.now() - started);
    return answer;
  };

  try {
    for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
      if (round === WARMUP_ROUNDS) child.send({ reset: true });
      measuring = round >= WARMUP_ROUNDS;
      const calls: Array<Promise<unknown>> = [];
      for (let i = 0; i < concurrency; i++) {
        const kind = (round * concurrency + i) % 3;
        if (kind === 0) calls.push(call({ action: 'GET_SERVICES' }));
        else if (kind === 1) {
          const service = services[(round + i) % services.length];
          calls.push(
            call({ action: 'GET_NUMBER', country: 'russia', operator: 'any', service, sum: 10 }).then((a) => {
              if (a.status === 'SUCCESS') open.push(Number(a.activationId));
            }),
          );
        } else {
          const id = open.shift();
          calls.push(call({ action: 'FINISH_ACTIVATION', activationId: id ?? 999_999, status: 4 }));
        }
      }
      await Promise.all(calls);
    }
    child.send({ report: true });
    const inside = await new Promise<number[]>((resolve) =>
      child.on('message', (m) => {
        const reported = (m as { inside?: number[] }).inside;
        if (reported) resolve(reported);
      }),
    );
    report(
      'ALL (in endpoint)',
      inside.sort((a, b) => a - b),
    );
  } finally {
    await agent.close();
    child.disconnect();
  }

  const all: number[] = [];
  for (const [action, list] of Object.entries(samples)) {
    list.sort((a, b) => a - b);
    all.push(...list);
    report(action, list);
  }
  all.sort((a, b) => a - b);
  report('ALL', all);
  console.log(
    `reseller-latency: ${SIM_COUNT} SIMs, ${rounds} rounds x ${concurrency} concurrent calls, db in ${baseDir}`,
  );
}

function report(label: string, sorted: number[]): void {
  const f = (n: number) => n.toFixed(2).padStart(7);
  console.log(
    `${label.padEnd(18)} n=${String(sorted.length).padStart(5)} p50=${f(percentile(sorted, 50))} ms p90=${f(percentile(sorted, 90))} ms p99=${f(percentile(sorted, 99))} ms max=${f(sorted.at(-1) ?? Number.NaN)} ms`,
  );
}

await (serverMode ? serve() : main());
