/**
 * Where the bridge's memory goes, phase by phase, on the e2e rig (N emulated modems, the
 * bridge as shipped, a mock Onlinesim): /proc figures (VmHWM, VmRSS, anonymous vs file-backed)
 * from outside, and from inside (memory-hook.mjs, preloaded) the V8 heap, ArrayBuffers and GC
 * counts. Not part of `npm run bench`; run it alone:
 *
 *   node --import tsx test/bench/tools/memory-probe.ts
 *   PROBE_MODEMS=1 PROBE_LOAD=0 node --import tsx test/bench/tools/memory-probe.ts  # idle, 1 modem
 *   PROBE_SNAP=flood PROBE_PROF=1 node --import tsx test/bench/tools/memory-probe.ts
 *
 * PROBE_MODEMS (64), PROBE_RATE (200 SMS/s), PROBE_LOAD=0 (idle only), PROBE_SNAP=idle|flood
 * (a heap snapshot then), PROBE_PROF=1 (a sampling heap profile of the steady phase),
 * PROBE_NODE_ARGS / PROBE_ENV (more node options / environment for the bridge),
 * BENCH_SHIPPED_FLAGS=0 (without the unit's node options), PROBE_NO_BUILD=1 (reuse the build).
 * The load phases are the e2e benchmark's: 8 s steady, 4 s bursty, 20 messages per modem at once.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { delay } from '../../integration/support/wait.js';
import { BenchRig } from '../lib/bench-rig.js';
import { BUILD_DIR, buildBridge } from '../lib/bridge-child.js';
import { InjectionTracker } from '../lib/injection-tracker.js';
import { burstyLoad, floodLoad, type LoadContext, steadyLoad } from '../lib/load-phases.js';
import { MessageFactory } from '../lib/message-stream.js';
import { cpuTimeMs } from '../lib/proc-stats.js';

const env = process.env;
const modems = Number(env.PROBE_MODEMS ?? 64);
const rate = Number(env.PROBE_RATE ?? 200);
const HOOK = fileURLToPath(new URL('./memory-hook.mjs', import.meta.url));
const hookFile = join(tmpdir(), `simbridge-memory-${process.pid}.jsonl`);
const words = (text: string | undefined): string[] => (text ?? '').split(' ').filter(Boolean);
const pairs = (text: string | undefined): Record<string, string> =>
  Object.fromEntries(
    words(text)
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );

interface HookLine {
  t: number;
  heapTotal?: number;
  heapUsed?: number;
  arrayBuffers?: number;
  spaces?: Record<string, number>;
  gc?: Record<string, [number, number]>;
  snapshot?: string;
  profile?: string;
}

function hookLines(): HookLine[] {
  if (!existsSync(hookFile)) return [];
  return readFileSync(hookFile, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HookLine);
}

function procStatus(pid: number): Record<string, number> {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { hwm: field('VmHWM'), rss: field('VmRSS'), anon: field('RssAnon'), file: field('RssFile') };
}

/** Resident KB of the largest mappings, by file ([heap] is malloc's main arena). */
function topMappings(pid: number, count = 6): string {
  const byName = new Map<string, number>();
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) name = header[1] || '[anon]';
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (rss) byName.set(name, (byName.get(name) ?? 0) + Number(rss[1]));
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([file, kb]) => `${file.split('/').pop()} ${kb}`)
    .join(', ');
}

function report(phase: string, pid: number): void {
  const s = procStatus(pid);
  const h = hookLines()
    .filter((line) => line.heapTotal !== undefined)
    .at(-1);
  const gc = h?.gc ? Object.entries(h.gc).map(([k, [n, ms]]) => `${k} ${n}/${ms}ms`) : [];
  console.log(
    `${phase.padEnd(8)} VmHWM ${s.hwm} VmRSS ${s.rss} (anon ${s.anon} file ${s.file}) KB | heap ${h?.heapUsed}/${h?.heapTotal} ab ${h?.arrayBuffers} KB | gc ${gc.join(' ')}`,
  );
  console.log(`  V8 spaces at their largest so far (KB): ${largestSpaces()}`);
}

/** Each V8 space's largest size over the samples so far: which space makes the peak. */
function largestSpaces(): string {
  const largest = new Map<string, number>();
  for (const line of hookLines()) {
    for (const [space, kb] of Object.entries(line.spaces ?? {})) {
      largest.set(space, Math.max(largest.get(space) ?? 0, kb));
    }
  }
  return [...largest]
    .filter(([, kb]) => kb > 0)
    .map(([space, kb]) => `${space} ${kb}`)
    .join(', ');
}

rmSync(hookFile, { force: true });
const entry = env.PROBE_NO_BUILD === '1' ? `${BUILD_DIR}cli.js` : buildBridge();
const rig = await BenchRig.start({
  modems,
  entry,
  nodeArgs: [...words(env.PROBE_NODE_ARGS), '--import', HOOK],
  env: { MEMHOOK_FILE: hookFile, ...pairs(env.PROBE_ENV) },
});
try {
  const pid = rig.pid;
  console.log(`memory probe: ${modems} modems, node options ${rig.bridge.nodeArgs.join(' ')}`);
  report('ready', pid);
  const idleCpu = cpuTimeMs(pid) ?? 0;
  await delay(5_000);
  console.log(`idle CPU ${(((cpuTimeMs(pid) ?? 0) - idleCpu) / 50).toFixed(2)} % of a core over 5 s`);
  report('idle', pid);
  console.log(`  mappings (KB): ${topMappings(pid)}`);
  if (env.PROBE_SNAP === 'idle') process.kill(pid, 'SIGWINCH');
  if (env.PROBE_LOAD !== '0') {
    await rig.openOperations();
    const context: LoadContext = {
      farm: rig.farm,
      factory: new MessageFactory(modems),
      tracker: new InjectionTracker(rig.farm),
    };
    if (env.PROBE_PROF === '1') process.kill(pid, 'SIGTTIN');
    const loadCpu = cpuTimeMs(pid) ?? 0;
    await steadyLoad(context, rate, 8_000);
    if (env.PROBE_PROF === '1') process.kill(pid, 'SIGTTOU');
    report('steady', pid);
    await burstyLoad(context, rate, 4_000);
    await delay(1_500);
    console.log(`load CPU ${(cpuTimeMs(pid) ?? 0) - loadCpu} ms (steady + bursty)`);
    report('bursty', pid);
    const floodAt = Date.now();
    const keys = floodLoad(context, 20);
    if (env.PROBE_SNAP === 'flood') setTimeout(() => process.kill(pid, 'SIGWINCH'), 600);
    while (Date.now() - floodAt < 60_000) {
      const delivered = rig.deliveredKeys();
      if (keys.every((key) => delivered.has(key))) break;
      await delay(50);
    }
    console.log(`flood ${keys.length} SMS delivered in ${Date.now() - floodAt} ms`);
    report('flood', pid);
    await delay(3_000);
    report('after', pid);
    console.log(`  mappings (KB): ${topMappings(pid)}`);
  }
  await delay(env.PROBE_SNAP || env.PROBE_PROF ? 5_000 : 0);
  for (const line of hookLines()) {
    if (line.snapshot) console.log(`heap snapshot ${line.snapshot}`);
    if (line.profile) console.log(`heap profile ${line.profile}`);
  }
} finally {
  await rig.close();
  rmSync(hookFile, { force: true });
}
process.exit(0);
