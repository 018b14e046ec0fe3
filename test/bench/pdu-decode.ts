/**
 * PDU decode throughput: `npx tsx test/bench/pdu-decode.ts` (or `npm run bench -- pdu-decode`).
 *
 * Decodes a realistic mix of received SMS (GSM 7-bit from short codes and alphanumeric senders,
 * UCS-2 Cyrillic and emoji, parts of concatenated messages with a UDH, national shift tables)
 * through decodeDeliverPdu + toDecodeJson, as `simbridge decode` and the ingest path do, on one
 * core for about 3 s of CPU time (CPU, not wall-clock, so a busy machine does not skew the
 * figure). Prints `pdu-decode: N PDUs/s` and writes bench-results/pdu-decode.json.
 * No assertion: a regression shows up as a lower figure.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeDeliverPdu, toDecodeJson } from '../../src/sms/index.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const WARMUP_MS = 500;
const BATCH = 1000;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const vectors = new Map(
  readFileSync(path.join(repoRoot, 'test/fixtures/sms-deliver.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; pdu: string })
    .map((v) => [v.id, v.pdu] as const),
);

/** [vector id, weight]: roughly what an OTP-receiving SIM farm sees. */
const MIX: ReadonlyArray<readonly [string, number]> = [
  ['p-sender-005', 4], // short code, GSM 7-bit
  ['p-timezone-002', 2], // short code, GSM 7-bit
  ['p-sender-001', 4], // alphanumeric sender, code
  ['p-sender-002', 4], // alphanumeric sender, code
  ['p-gsm7-001', 2], // international sender
  ['p-ucs2-001', 3], // Cyrillic
  ['p-ucs2-004', 1], // emoji (surrogate pairs)
  ['p-multi-ref8-001-p1', 1], // 153-septet part with UDH
  ['p-multi-ref8-001-p2', 1],
  ['p-multi-ucs2-001-p1', 1], // UCS-2 part with UDH
  ['p-multi-ref16-001-p3', 1],
  ['p-national-shift-tr-locking', 1],
];

const corpus: string[] = [];
for (const [id, weight] of MIX) {
  const pdu = vectors.get(id);
  if (pdu === undefined) throw new Error(`vector ${id} missing from the fixture`);
  for (let i = 0; i < weight; i += 1) corpus.push(pdu);
}

let sink = 0;

/** CPU time of this process in ms: on a shared machine wall-clock time would measure the neighbours. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Decodes batches until `ms` of CPU time (or 4x that of wall time) have passed. */
function run(ms: number): { count: number; cpuElapsedMs: number; wallElapsedMs: number } {
  const cpuStart = cpuMs();
  const wallStart = performance.now();
  let count = 0;
  let cpuElapsed = 0;
  let wallElapsed = 0;
  while (cpuElapsed < ms && wallElapsed < ms * 4) {
    for (let i = 0; i < BATCH; i += 1) {
      const json = toDecodeJson(decodeDeliverPdu(corpus[(count + i) % corpus.length] ?? ''));
      sink += json.text.length;
    }
    count += BATCH;
    cpuElapsed = cpuMs() - cpuStart;
    wallElapsed = performance.now() - wallStart;
  }
  return { count, cpuElapsedMs: cpuElapsed, wallElapsedMs: wallElapsed };
}

run(WARMUP_MS);
const { count, cpuElapsedMs, wallElapsedMs } = run(DURATION_MS);
const perSecond = Math.round((count / cpuElapsedMs) * 1000);
const perWallSecond = Math.round((count / wallElapsedMs) * 1000);
const avgHexChars = corpus.reduce((sum, pdu) => sum + pdu.length, 0) / corpus.length;

console.log(`pdu-decode: ${perSecond} PDUs/s`);
console.log(
  `  ${count} PDUs in ${(cpuElapsedMs / 1000).toFixed(2)} s CPU (${perWallSecond} PDUs/s wall-clock), ` +
    `mix of ${corpus.length} (avg ${Math.round(avgHexChars / 2)} octets), checksum ${sink}`,
);

const outDir = path.join(repoRoot, 'bench-results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'pdu-decode.json'),
  `${JSON.stringify(
    {
      bench: 'pdu-decode',
      pdusPerSecond: perSecond,
      decoded: count,
      pdusPerWallSecond: perWallSecond,
      cpuMs: Math.round(cpuElapsedMs),
      wallMs: Math.round(wallElapsedMs),
      mixSize: corpus.length,
      avgPduOctets: Math.round(avgHexChars / 2),
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      at: new Date().toISOString(),
    },
    null,
    2,
  )}\n`,
);
