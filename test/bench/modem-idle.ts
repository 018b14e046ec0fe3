/**
 * What an idle farm costs with the modem safety nets on: `BENCH_MODEMS` (64) emulated modems at
 * 115200 baud on real ptys (relays started one by one), the bridge's modem side (ModemManager,
 * default settings) as its own process, nothing arriving. Prints that process's CPU from /proc
 * over `BENCH_IDLE_S` (30 s) and the serial traffic per modem, with the 2 s storage check on and
 * off.
 *
 *   npm run bench -- modem-idle
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModemTimings } from '../../src/modem/options.js';
import { PtyFarm } from '../modem/farm-harness.js';
import { cpuPercent, cpuTimeMs } from './lib/proc-stats.js';

const CHILD = join(import.meta.dirname, 'lib', 'modem-manager-child.ts');

const MODEMS = Number(process.env.BENCH_MODEMS ?? 64);
const IDLE_MS = Number(process.env.BENCH_IDLE_S ?? 30) * 1000;

interface IdleFigures {
  label: string;
  cpuPercent: number;
  /** Bytes each way per modem per second, averaged over the farm. */
  hostToModemBps: number;
  modemToHostBps: number;
  commandsPerModemPerMinute: number;
}

async function measure(label: string, timings: Partial<ModemTimings>): Promise<IdleFigures> {
  const farm = new PtyFarm();
  let child: ChildProcess | null = null;
  try {
    for (let slot = 1; slot <= MODEMS; slot += 1) await farm.addModem(slot, 'generic');
    child = spawn(
      process.execPath,
      [
        // BENCH_CPU_PROF=<dir> writes a CPU profile of the modem side.
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        '--import',
        'tsx',
        CHILD,
        join(farm.dir, 'modem-*'),
        JSON.stringify(timings),
        String(MODEMS),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const running = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('modems not ready within 180 s')), 180_000);
      running.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      running.once('exit', (code) => reject(new Error(`modem side exited with ${code}`)));
    });
    const pid = running.pid as number;
    let hostToModem = 0;
    let modemToHost = 0;
    let commands = 0;
    for (const modem of farm.modems) {
      modem.on('output', (bytes) => {
        modemToHost += bytes.length;
      });
      modem.on('command', (line) => {
        commands += 1;
        hostToModem += line.length + 1;
      });
    }
    // The start-up's last sweeps and JIT work are left out.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    hostToModem = 0;
    modemToHost = 0;
    commands = 0;
    const startCpu = cpuTimeMs(pid) ?? 0;
    const startWall = performance.now();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const cpuMs = (cpuTimeMs(pid) ?? 0) - startCpu;
    const wallMs = performance.now() - startWall;
    const seconds = wallMs / 1000;
    return {
      label,
      cpuPercent: Math.round(cpuPercent(cpuMs, wallMs) * 100) / 100,
      hostToModemBps: Math.round(hostToModem / MODEMS / seconds),
      modemToHostBps: Math.round(modemToHost / MODEMS / seconds),
      commandsPerModemPerMinute: Math.round((commands / MODEMS / seconds) * 60),
    };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await farm.stop();
  }
}

console.log(
  `modem-idle: Node ${process.version}, ${MODEMS} idle modems, ${IDLE_MS / 1000} s each (shared machine: noisy)`,
);
const results: IdleFigures[] = [];
for (const [label, timings] of [
  ['defaults (storage check every 2 s)', {}],
  ['storage check off (30 s sweep only)', { storageCheckIntervalMs: 3_600_000 }],
] as const) {
  const figures = await measure(label, timings);
  results.push(figures);
  console.log(
    `  ${label.padEnd(38)} modem side CPU ${figures.cpuPercent} %  serial per modem: ${figures.hostToModemBps} B/s out, ${figures.modemToHostBps} B/s in, ${figures.commandsPerModemPerMinute} commands/min`,
  );
}
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  join('bench-results', 'modem-idle.json'),
  `${JSON.stringify({ modems: MODEMS, idleMs: IDLE_MS, results }, null, 2)}\n`,
);
