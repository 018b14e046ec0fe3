/**
 * What an idle farm costs with the modem safety nets on: `BENCH_MODEMS` (64) emulated modems at
 * 115200 baud on real ptys, the bridge's modem side (ModemManager, default settings, compiled as
 * a farm runs it) as its own process, nothing arriving. For each setting, `BENCH_ROUNDS` (3)
 * windows of `BENCH_IDLE_S` (30 s), the settings taking turns so the machine's load drifts over
 * all of them alike. Prints that process's CPU (user + sys from /proc, % of one core) per window,
 * the serial traffic per modem, and what the storage check (the lost-+CMTI safety net, every 3 s) adds:
 * the difference between the check on and off.
 *
 *   npm run bench -- modem-idle
 *   BENCH_ROUNDS=5 BENCH_IDLE_S=20 npm run bench -- modem-idle
 *   BENCH_WARMUP_S=3 npm run bench -- modem-idle      # measure right after start-up (JIT included)
 *   BENCH_BRIDGE=tsx npm run bench -- modem-idle      # the sources through tsx (no build)
 *   BENCH_BRIDGE_DIST=<dir> npm run bench -- modem-idle  # another build (its log.js, modem/…)
 *   BENCH_CPU_PROF=/tmp/prof npm run bench -- modem-idle
 *
 * On a shared machine compare CPU time, not wall time, and read the spread: the load average at
 * the start and end of the run is printed with the figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModemTimings } from '../../src/modem/options.js';
import { PtyFarm } from '../modem/farm-harness.js';
import { BUILD_DIR, buildBridge } from './lib/bridge-child.js';
import { cpuTimesMs } from './lib/proc-stats.js';

const CHILD = join(import.meta.dirname, 'lib', 'modem-manager-child.mjs');
const SOURCES = join(import.meta.dirname, '..', '..', 'src');

const MODEMS = Number(process.env.BENCH_MODEMS ?? 64);
const IDLE_MS = Number(process.env.BENCH_IDLE_S ?? 30) * 1000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * Left out before each window. A farm runs for days; its first half minute is not its idle cost:
 * V8 is still compiling the hot paths on its background threads then (measured per thread in
 * /proc: 12 s after start V8's worker threads used as much CPU as the main thread, 0.6 % of a
 * core each; 45 s after start 0.14 % against the main thread's 0.33 %).
 */
const WARMUP_MS = Number(process.env.BENCH_WARMUP_S ?? 30) * 1000;
const FROM_SOURCES = process.env.BENCH_BRIDGE === 'tsx';
/** Another build to measure (before/after on the same rig); default: this checkout, compiled. */
const OTHER_BUILD = process.env.BENCH_BRIDGE_DIST;
const BUILD = FROM_SOURCES ? SOURCES : (OTHER_BUILD ?? BUILD_DIR);
if (!FROM_SOURCES && OTHER_BUILD === undefined) buildBridge();

interface Window {
  cpuPercent: number;
  userPercent: number;
  sysPercent: number;
  /** Bytes each way per modem per second, averaged over the farm. */
  hostToModemBps: number;
  modemToHostBps: number;
  commandsPerModemPerMinute: number;
}

/** The measured build's own default check interval (another build may have another). */
const defaultCheckS = async (): Promise<number> => {
  const options = (await import(pathToFileURL(join(BUILD, 'modem', 'options.js')).href)) as {
    DEFAULT_MODEM_TIMINGS: ModemTimings;
  };
  return options.DEFAULT_MODEM_TIMINGS.storageCheckIntervalMs / 1000;
};

const SETTINGS: ReadonlyArray<readonly [label: string, timings: Partial<ModemTimings>]> = [
  [`defaults (storage check every ${await defaultCheckS()} s)`, {}],
  ['storage check every 2 s', { storageCheckIntervalMs: 2_000 }],
  ['storage check off (30 s sweep only)', { storageCheckIntervalMs: 3_600_000 }],
];

const round2 = (value: number): number => Math.round(value * 100) / 100;

async function startModemSide(farm: PtyFarm, timings: Partial<ModemTimings>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir> writes a CPU profile of the modem side.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ...(FROM_SOURCES ? ['--import', 'tsx'] : []),
      CHILD,
      BUILD,
      join(farm.dir, 'modem-*'),
      JSON.stringify(timings),
      String(MODEMS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('modems not ready within 180 s')), 180_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`modem side exited with ${code}`)));
  });
  return child;
}

async function stopModemSide(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One window of one setting: a fresh modem side, `WARMUP_MS` to settle, then `IDLE_MS` measured. */
async function measureWindow(farm: PtyFarm, timings: Partial<ModemTimings>): Promise<Window> {
  const child = await startModemSide(farm, timings);
  try {
    const pid = child.pid as number;
    let hostToModem = 0;
    let modemToHost = 0;
    let commands = 0;
    const onOutput = (bytes: Uint8Array): void => {
      modemToHost += bytes.length;
    };
    const onCommand = (line: string): void => {
      commands += 1;
      hostToModem += line.length + 1;
    };
    for (const modem of farm.modems) {
      modem.on('output', onOutput);
      modem.on('command', onCommand);
    }
    // The start-up's last sweeps and JIT work are left out.
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    hostToModem = 0;
    modemToHost = 0;
    commands = 0;
    const start = cpuTimesMs(pid);
    const startWall = performance.now();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const end = cpuTimesMs(pid);
    const wallMs = performance.now() - startWall;
    for (const modem of farm.modems) {
      modem.off('output', onOutput);
      modem.off('command', onCommand);
    }
    if (!start || !end) throw new Error('the modem side ended during the measurement');
    const seconds = wallMs / 1000;
    const percent = (ms: number): number => (100 * ms) / wallMs;
    const userPercent = percent(end.userMs - start.userMs);
    const sysPercent = percent(end.sysMs - start.sysMs);
    return {
      cpuPercent: round2(userPercent + sysPercent),
      userPercent: round2(userPercent),
      sysPercent: round2(sysPercent),
      hostToModemBps: Math.round(hostToModem / MODEMS / seconds),
      modemToHostBps: Math.round(modemToHost / MODEMS / seconds),
      commandsPerModemPerMinute: Math.round((commands / MODEMS / seconds) * 60),
    };
  } finally {
    await stopModemSide(child);
  }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const loadAtStart = load();
console.log(
  `modem-idle: Node ${process.version}, ${MODEMS} idle modems at 115200 baud, ${ROUNDS} × ${IDLE_MS / 1000} s per setting ` +
    `after ${WARMUP_MS / 1000} s of warm-up, ` +
    `modem side ${FROM_SOURCES ? 'from the sources (tsx)' : `compiled (${BUILD})`}; load average at start ${loadAtStart}`,
);
const farm = new PtyFarm();
const windows: Window[][] = SETTINGS.map(() => []);
try {
  for (let slot = 1; slot <= MODEMS; slot += 1) await farm.addModem(slot, 'generic');
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const [index, [label, timings]] of SETTINGS.entries()) {
      const window = await measureWindow(farm, timings);
      windows[index]?.push(window);
      console.log(
        `  round ${round}  ${label.padEnd(36)} CPU ${window.cpuPercent.toFixed(2)} % of a core ` +
          `(user ${window.userPercent.toFixed(2)}, sys ${window.sysPercent.toFixed(2)})  serial per modem: ` +
          `${window.hostToModemBps} B/s out, ${window.modemToHostBps} B/s in, ${window.commandsPerModemPerMinute} commands/min`,
      );
    }
  }
} finally {
  await farm.stop();
}

const summaries = SETTINGS.map(([label], index) => {
  const runs = windows[index] ?? [];
  const cpu = runs.map((w) => w.cpuPercent);
  return {
    label,
    cpuPercent: { median: round2(median(cpu)), min: Math.min(...cpu), max: Math.max(...cpu) },
    hostToModemBps: median(runs.map((w) => w.hostToModemBps)),
    modemToHostBps: median(runs.map((w) => w.modemToHostBps)),
    commandsPerModemPerMinute: median(runs.map((w) => w.commandsPerModemPerMinute)),
    windows: runs,
  };
});
const loadAtEnd = load();
console.log(`  load average at end ${loadAtEnd}`);
for (const s of summaries) {
  console.log(
    `  ${s.label.padEnd(36)} CPU median ${s.cpuPercent.median.toFixed(2)} % (${s.cpuPercent.min.toFixed(2)} - ${s.cpuPercent.max.toFixed(2)}) of a core`,
  );
}
const on = summaries[0];
const off = summaries[summaries.length - 1];
if (on && off && on !== off) {
  console.log(
    `  safety net (check on - off): ${round2(on.cpuPercent.median - off.cpuPercent.median).toFixed(2)} % of a core, ` +
      `${on.hostToModemBps - off.hostToModemBps} B/s out + ${on.modemToHostBps - off.modemToHostBps} B/s in per modem, ` +
      `${on.commandsPerModemPerMinute - off.commandsPerModemPerMinute} commands/min per modem`,
  );
}
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  join('bench-results', 'modem-idle.json'),
  `${JSON.stringify(
    {
      node: process.version,
      modems: MODEMS,
      idleMs: IDLE_MS,
      rounds: ROUNDS,
      bridge: FROM_SOURCES ? 'tsx' : BUILD,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      results: summaries,
    },
    null,
    2,
  )}\n`,
);
