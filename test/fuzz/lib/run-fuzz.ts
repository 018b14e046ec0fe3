import { seededRandom } from './mutate.js';
import { OutcomeTally } from './outcome.js';
import { pduCase, pduSeeds } from './pdu-target.js';
import { engineCase, tokenizerCase } from './serial-target.js';
import { textModeCase } from './text-mode-target.js';

/**
 * Runs the fuzz targets over one seeded stream of cases until `cases` have run, in the
 * proportions below (PDUs are the main attack surface: every SIM message passes the decoder).
 */

export interface FuzzOptions {
  cases: number;
  seed?: number;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  durationMs: number;
  casesPerS: number;
  byTarget: Record<string, { cases: number; ok: number; byCode: Record<string, number> }>;
  crashes: OutcomeTally['crashes'];
  crashCount: number;
}

const SHARES = { pdu: 0.62, 'text-mode': 0.2, 'at-tokenizer': 0.13, 'at-engine': 0.05 } as const;

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const seeds = pduSeeds();
  const tallies = {
    pdu: new OutcomeTally(),
    'text-mode': new OutcomeTally(),
    'at-tokenizer': new OutcomeTally(),
    'at-engine': new OutcomeTally(),
  };
  const total = (): number => Object.values(tallies).reduce((sum, t) => sum + t.cases, 0);
  const started = performance.now();
  while (total() < options.cases) {
    const roll = random();
    if (roll < SHARES.pdu) pduCase(random, seeds, tallies.pdu);
    else if (roll < SHARES.pdu + SHARES['text-mode']) textModeCase(random, tallies['text-mode']);
    else if (roll < 1 - SHARES['at-engine']) tokenizerCase(random, tallies['at-tokenizer']);
    else await engineCase(random, tallies['at-engine']);
  }
  const durationMs = performance.now() - started;
  const all = new OutcomeTally();
  const byTarget: FuzzReport['byTarget'] = {};
  for (const [name, tally] of Object.entries(tallies)) {
    all.merge(tally);
    byTarget[name] = { cases: tally.cases, ok: tally.ok, byCode: Object.fromEntries(tally.byCode) };
  }
  return {
    seed,
    cases: all.cases,
    durationMs: Math.round(durationMs),
    casesPerS: Math.round((all.cases * 1000) / durationMs),
    byTarget,
    crashes: all.crashes,
    crashCount: all.crashCount,
  };
}
