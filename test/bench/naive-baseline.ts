/**
 * The floor on this machine: the same farm, stream and server as `e2e.ts`, served by a host that
 * stores nothing instead of the bridge, one after the other on a fresh farm each:
 *
 * - `minimal`: the rig's floor (lib/minimal-responder.ts): `AT+CMGR` on `+CMTI`, the raw PDU
 *   POSTed at once, the tty read as the bridge reads it. What is left above it is the rig's.
 * - `naive`: a naive event-driven script (lib/naive-host.ts: serialport streams, decodes, POSTs
 *   at once), what a farm runs without the bridge.
 *
 * Single SMS only, since neither reassembles: the steady phase is the e2e bench's (full single
 * SMS, 160 GSM 7-bit and 70 UCS-2 characters in turn), the bursty phase single GSM 7-bit. Prints
 * the latency to wire-time ratio the bridge is held against; writes
 * bench-results/naive-<n>.json (both hosts).
 *
 *   node --import tsx test/bench/naive-baseline.ts [--modems 64] [--hosts minimal,naive]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EmulatedFarm } from '../../src/emulator/farm.js';
import { startMockOnlinesim } from '../../src/push/mock-onlinesim.js';
import { decodePdu } from '../../src/sms/index.js';
import { delay } from '../integration/support/wait.js';
import { benchRelay, nowMs, type PushArrival } from './lib/bench-rig.js';
import { InjectionTracker } from './lib/injection-tracker.js';
import { burstyLoad, type LoadContext, steadyLoad } from './lib/load-phases.js';
import { FULL_SINGLES, keyOfText, MessageFactory } from './lib/message-stream.js';
import { distribution, rounded } from './lib/stats.js';

const { values } = parseArgs({ options: { modems: { type: 'string' }, hosts: { type: 'string' } } });
const modems = Number(values.modems ?? process.env.BENCH_MODEMS?.split(',').at(-1) ?? 64);
const ratePerS = (200 / 64) * modems;
const HOSTS = {
  minimal: {
    script: './lib/minimal-responder.ts',
    title: 'minimal responder (raw PDU, no decode, no store)',
  },
  naive: { script: './lib/naive-host.ts', title: 'naive host (decodes, no store)' },
} as const;
type HostName = keyof typeof HOSTS;
const hostNames = (values.hosts ?? process.env.BENCH_HOSTS ?? 'minimal,naive').split(',') as HostName[];
for (const name of hostNames) {
  if (!(name in HOSTS)) throw new Error(`unknown host ${name}: minimal or naive`);
}

/** The text a push carries: the naive host sends it decoded, the minimal responder the PDU. */
function textOf(body: { text?: unknown; pdu?: unknown } | null): string {
  if (typeof body?.text === 'string') return body.text;
  if (typeof body?.pdu !== 'string') return '';
  const decoded = decodePdu(body.pdu);
  return 'text' in decoded ? decoded.text : '';
}

async function measure(hostName: HostName) {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-naive-'));
  mkdirSync(join(dir, 'tty'));
  const relay = benchRelay();
  const farm = new EmulatedFarm({
    count: modems,
    directory: join(dir, 'tty'),
    modemOptions: { bootTimeScale: 0 },
    ...(relay ? { relay } : {}),
  });
  await farm.start();
  const pushes: PushArrival[] = [];
  const mock = await startMockOnlinesim({
    script: (request) => {
      // Stamped before anything else: the decode for the key is the bench's work, not the host's.
      const atMs = nowMs();
      const text = textOf(request.body as { text?: unknown; pdu?: unknown } | null);
      pushes.push({ atMs, key: keyOfText(text), smsId: null, status: 200, text });
      return { status: 200, body: { status: 'SUCCESS' } };
    },
  });
  const host = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL(HOSTS[hostName].script, import.meta.url)),
      join(dir, 'tty'),
      mock.url,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) =>
    host.stdout?.on('data', (chunk: Buffer) => chunk.includes('ready') && resolve()),
  );
  const tracker = new InjectionTracker(farm);
  const mix = { gsm7: 1, ucs2: 0, 'gsm7-multipart': 0, 'ucs2-multipart': 0 };
  const context: LoadContext = { farm, factory: new MessageFactory(modems, mix), tracker };
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const steady = await steadyLoad(context, ratePerS, 8_000, FULL_SINGLES);
  const bursty = await burstyLoad(context, ratePerS, 4_000);
  await delay(2_000);
  loopDelay.disable();
  const ratio = (keys: number[]) =>
    rounded(
      distribution(
        tracker
          .outcomes(pushes, keys)
          .filter((o) => o.pushedAtMs !== null && o.indicatedAtMs !== null)
          .map((o) => ((o.pushedAtMs as number) - (o.indicatedAtMs as number)) / o.wireMs),
      ),
    );
  const result = {
    host: hostName,
    steadyOverWire: ratio(steady),
    burstyOverWire: ratio(bursty),
    all: ratio([...steady, ...bursty]),
    /** Event-loop delay of this process (emulator and server) during the load, ms. */
    loopDelayMs: {
      p50: Number((loopDelay.percentile(50) / 1e6).toFixed(2)),
      p99: Number((loopDelay.percentile(99) / 1e6).toFixed(2)),
      max: Number((loopDelay.max / 1e6).toFixed(2)),
    },
  };
  host.kill('SIGKILL');
  await farm.stop();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

const results = [];
for (const hostName of hostNames) {
  const result = await measure(hostName);
  results.push(result);
  console.log(
    `${HOSTS[hostName].title}, ${modems} modems, ${ratePerS.toFixed(0)} SMS/s, single SMS, relay ${benchRelay() ?? 'socat'}:`,
  );
  for (const [phase, d] of Object.entries({
    steady: result.steadyOverWire,
    bursty: result.burstyOverWire,
    all: result.all,
  })) {
    console.log(
      `  latency/wire ${phase.padEnd(7)} p50 ${d.p50}  p95 ${d.p95}  p99 ${d.p99}  max ${d.max}  (n=${d.count})`,
    );
  }
  console.log(
    `  emulator loop delay  p50 ${result.loopDelayMs.p50} ms  p99 ${result.loopDelayMs.p99} ms  max ${result.loopDelayMs.max} ms`,
  );
}
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  `bench-results/naive-${modems}.json`,
  `${JSON.stringify({ modems, ratePerS, results, at: new Date().toISOString() }, null, 2)}\n`,
);
process.exit(0);
