/**
 * End-to-end benchmark: N emulated modems on ptys at 115200 baud -> `simbridge run` (its own
 * process, real YAML config, SQLite file) -> a local mock Onlinesim answering 200.
 *
 *   node --import tsx test/bench/e2e.ts                 # 1, 16 and 64 modems, then 64 pinned
 *   node --import tsx test/bench/e2e.ts --modems 64 --no-pin
 *   BENCH_STEADY_S=10 BENCH_IDLE_S=10 BENCH_CPU_PROF=/tmp/prof npm run bench -- e2e
 *   BENCH_RATE=20 BENCH_MODEMS=64 BENCH_PIN=0 npm run bench -- e2e   # 64 modems at 20 SMS/s
 *
 * The bridge runs compiled (built into node_modules/.cache first); BENCH_BRIDGE=tsx runs the
 * sources. The target load scales with the farm: 200 SMS/s at 64 modems (3.125 SMS/s per modem);
 * BENCH_RATE sets the total rate at the largest farm instead (the others keep its rate per modem).
 * The steady phase is a stream of full single SMS (160 GSM 7-bit, 70 UCS-2 characters, in turn),
 * the one the latency targets are set on; the bursty phase mixes single and multipart SMS.
 * Prints each run and writes bench-results/e2e-<n>[-pinned].json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchRelay } from './lib/bench-rig.js';
import { BUILD_DIR, buildBridge } from './lib/bridge-child.js';
import { runScenario, type ScenarioResult } from './lib/e2e-scenario.js';
import { printStageTable, printTailTable } from './lib/stage-table.js';

const { values } = parseArgs({
  options: {
    modems: { type: 'string' },
    'no-pin': { type: 'boolean' },
    'pin-only': { type: 'boolean' },
  },
});
const env = process.env;
const counts = (values.modems ?? env.BENCH_MODEMS ?? '1,16,64').split(',').map(Number);
const seconds = (name: string, fallback: number): number => Number(env[name] ?? fallback) * 1000;
const hasTaskset = ['/usr/bin/taskset', '/bin/taskset'].some((path) => existsSync(path));
const RATE_PER_MODEM = Number(env.BENCH_RATE ?? 200) / (env.BENCH_RATE ? Math.max(...counts) : 64);
const pin = !values['no-pin'] && env.BENCH_PIN !== '0' && hasTaskset;

/**
 * The latency targets are set on a steady stream of full single SMS, GSM 7-bit and UCS-2 in
 * turn, round-robin over the modems (the steady phase); the bursty phase and its multipart
 * messages are printed beside them.
 */
function targets(result: ScenarioResult): Record<string, { value: number; target: string; met: boolean }> {
  const steady = result.load.steadyOverWire;
  return {
    'latency/wire p50': check(steady.p50, '<= 1.05', steady.p50 <= 1.05),
    'latency/wire p99': check(steady.p99, '<= 1.25', steady.p99 <= 1.25),
    'durable SMS/s': check(result.flood.durableSmsPerS, '>= 500', result.flood.durableSmsPerS >= 500),
    'peak RSS MB': check(result.bridge.peakRssMb, '<= 80', result.bridge.peakRssMb <= 80),
    'idle CPU %': check(result.bridge.idleCpuPercent, '<= 1', result.bridge.idleCpuPercent <= 1),
    'ready ms': check(result.ready.sinceSpawnMs, '<= 3000', result.ready.sinceSpawnMs <= 3000),
    lost: check(result.load.lost, '= 0', result.load.lost === 0),
  };
}

function check(value: number, target: string, met: boolean) {
  return { value, target, met };
}

function print(result: ScenarioResult, label: string): void {
  const l = result.load;
  const line = (name: string, d: { p50: number; p95: number; p99: number; max: number }) =>
    `  ${name.padEnd(22)} p50 ${d.p50}  p95 ${d.p95}  p99 ${d.p99}  max ${d.max}`;
  console.log(`\n-- ${label}`);
  console.log(`  node options           ${result.bridgeNodeArgs.join(' ') || '(none)'}`);
  console.log(
    `  ready                  ${result.ready.sinceSpawnMs} ms from spawn, ${result.ready.sinceStartLogMs} ms from config loaded`,
  );
  console.log(
    `  load                   ${l.ratePerS.toFixed(1)} SMS/s, ${l.injected} injected, ${l.delivered} delivered, ${l.lost} lost`,
  );
  console.log(line('latency ms', l.latencyMs));
  console.log(line('wire ms', l.wireMs));
  console.log(line('latency/wire', l.latencyOverWire));
  console.log(line('  steady (targets)', l.steadyOverWire));
  console.log(line('  bursty', l.burstyOverWire));
  console.log(line('  bursty multipart', l.multipartOverWire));
  console.log(line('step: react ms', l.breakdownMs.react));
  console.log(line('step: read->delete ms', l.breakdownMs.readToDelete));
  console.log(line('step: delete->push ms', l.breakdownMs.deleteToPush));
  if (l.stages) printStageTable(l.stages, 'per stage, all (ms)');
  if (l.steadyStages) printStageTable(l.steadyStages, 'per stage, steady (ms)');
  if (l.steadyTail) printTailTable(l.steadyTail, 'slowest 2 % of steady');
  console.log(
    `  bridge CPU under load  ${l.bridgeCpuPercent} % of a core, ${l.bridgeCpuMsPerSms} ms CPU per SMS`,
  );
  console.log(
    `  flood                  ${result.flood.injected} SMS at once: ${result.flood.durationMs} ms, ${result.flood.durableSmsPerS} SMS/s durable, peak ${result.flood.peakSmsPerSIn1s} in 1 s`,
  );
  console.log(
    `  bridge                 peak RSS ${result.bridge.peakRssMb} MB (${result.bridge.peakRssIdleMb} MB idle with every modem ready, ${result.bridge.peakRssBeforeFloodMb} MB before the flood), idle CPU ${result.bridge.idleCpuPercent} % (${result.bridge.idleCpuAfterLoadPercent} % after the load: ${result.bridge.idleCpuAfterLoadByThread.map((t) => `${t.name} ${t.percent} (system ${t.sysPercent})`).join(', ')})`,
  );
  console.log(
    `  emulator (this proc)   ${result.emulator.cpuPercentDuringLoad} % CPU under load; relays ${result.emulator.socatCpuPercentDuringLoad} % (relay ${benchRelay() ?? 'socat'})`,
  );
  const lag = result.emulator.loopDelayMs;
  console.log(
    `  emulator loop delay    p50 ${lag.p50} ms  p99 ${lag.p99} ms  max ${lag.max} ms (late lines and arrival stamps: the rig's own share)`,
  );
  if (result.modems === 64 && Math.round(result.load.ratePerS) === 200) {
    for (const [name, t] of Object.entries(targets(result))) {
      console.log(
        `  target ${(name.startsWith('latency') ? `${name} steady` : name).padEnd(25)} ${String(t.value).padEnd(8)} ${t.target.padEnd(8)} ${t.met ? 'met' : 'MISSED'}`,
      );
    }
  }
}

const runs: { modems: number; cpuList?: string }[] = values['pin-only']
  ? []
  : counts.map((modems) => ({ modems }));
if (pin) runs.push({ modems: Math.max(...counts), cpuList: '0' });
mkdirSync('bench-results', { recursive: true });
// The bridge runs compiled, as on a farm (BENCH_BRIDGE=tsx runs the sources through tsx).
// BENCH_NO_BUILD=1 reuses the last build (e.g. one patched for a what-if experiment).
// BENCH_BRIDGE_DIST=<dir> runs a build made elsewhere (another commit, for a before/after).
const entry =
  env.BENCH_BRIDGE === 'tsx'
    ? undefined
    : env.BENCH_BRIDGE_DIST
      ? join(env.BENCH_BRIDGE_DIST, 'cli.js')
      : env.BENCH_NO_BUILD === '1'
        ? `${BUILD_DIR}cli.js`
        : buildBridge();
// The bridge gets the node options it ships with (config/simbridge.service, `npm start`);
// BENCH_NODE_ARGS adds to them (e.g. "--max-semi-space-size=1"), BENCH_SHIPPED_FLAGS=0 drops them.
const nodeArgs = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
// Extra environment for the bridge, e.g. BENCH_BRIDGE_ENV="MALLOC_ARENA_MAX=2".
const bridgeEnv = Object.fromEntries(
  (env.BENCH_BRIDGE_ENV ?? '')
    .split(' ')
    .filter((pair) => pair.includes('='))
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
console.log(
  `e2e: Node ${process.version}, ${runs.length} runs (machine shared with other work: figures are noisy)`,
);
for (const run of runs) {
  const label = `${run.modems} modems${run.cpuList ? ', bridge pinned to CPU 0' : ''}`;
  const result = await runScenario({
    modems: run.modems,
    ratePerS: RATE_PER_MODEM * run.modems,
    steadyMs: seconds('BENCH_STEADY_S', 8),
    burstyMs: seconds('BENCH_BURSTY_S', 4),
    floodPerModem: Number(env.BENCH_FLOOD_PER_MODEM ?? 20),
    idleMs: seconds('BENCH_IDLE_S', 10),
    ...(run.cpuList ? { cpuList: run.cpuList } : {}),
    ...(entry ? { entry } : {}),
    nodeArgs,
    env: bridgeEnv,
    ...(env.BENCH_CPU_PROF ? { cpuProfileDir: env.BENCH_CPU_PROF } : {}),
    ...(env.BENCH_LOG_LEVEL ? { logLevel: env.BENCH_LOG_LEVEL } : {}),
    // BENCH_TRACE=0 runs the bridge without its stage trace (to see what tracing costs).
    stageTrace: env.BENCH_TRACE !== '0',
    // BENCH_PUSH_CONCURRENCY=64: config push.concurrency for a what-if run (default: the config's).
    ...(env.BENCH_PUSH_CONCURRENCY ? { push: { concurrency: Number(env.BENCH_PUSH_CONCURRENCY) } } : {}),
    // BENCH_MODEM_TIMINGS='{"storageCheckIntervalMs":600000}': config `modems` timings, what-if.
    ...(env.BENCH_MODEM_TIMINGS ? { modemTimings: JSON.parse(env.BENCH_MODEM_TIMINGS) } : {}),
  });
  print(result, label);
  const rateTag = env.BENCH_RATE ? `-${env.BENCH_RATE}per-s` : '';
  const file = join('bench-results', `e2e-${run.modems}${rateTag}${run.cpuList ? '-pinned' : ''}.json`);
  const payload = {
    ...result,
    ...(run.modems === 64 && Math.round(result.load.ratePerS) === 200 ? { targets: targets(result) } : {}),
    node: process.version,
    at: new Date().toISOString(),
  };
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
}
process.exit(0);
