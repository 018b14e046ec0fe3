/**
 * `npm run fuzz`: at least 1,000,000 fuzz cases (FUZZ_CASES, seed FUZZ_SEED) over the PDU
 * decoder, the text-mode parsers, the AT tokenizer and a live AT engine. Prints cases/s and the
 * count of each outcome per target, writes bench-results/fuzz.json, exits 1 on any crash (an
 * untyped throw, or a typed error with a code the target does not allow).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { runFuzz } from './lib/run-fuzz.js';

const cases = Number(process.env.FUZZ_CASES ?? 1_000_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
console.log(`fuzz: ${cases} cases, seed ${seed} (FUZZ_SEED=${seed} repeats this run)`);
const report = await runFuzz({ cases, seed });
for (const [target, t] of Object.entries(report.byTarget)) {
  const codes = Object.entries(t.byCode)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  console.log(
    `  ${target.padEnd(13)} ${String(t.cases).padStart(8)} cases: ok ${t.ok}${codes ? `, ${codes}` : ''}`,
  );
}
console.log(
  `  total ${report.cases} cases in ${report.durationMs} ms: ${report.casesPerS} cases/s, ${report.crashCount} crashes`,
);
for (const crash of report.crashes.slice(0, 10))
  console.log(`  CRASH [${crash.target}] ${crash.error}\n    input: ${crash.input}`);
mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/fuzz.json',
  `${JSON.stringify({ ...report, at: new Date().toISOString() }, null, 2)}\n`,
);
process.exit(report.crashCount === 0 ? 0 : 1);
