import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { simHealthRulesOf } from '../../src/health/sim-health.js';
import { issuesOf } from './support/config-error.js';
import { MINIMAL_CONFIG } from './support/minimal-config.js';

describe('health config', () => {
  it('defaults: judged every minute, 5 failed reads in a row, balance not judged', () => {
    expect(parseConfigText(MINIMAL_CONFIG, {}).health).toEqual({ intervalMs: 60_000, readErrorsInARow: 5 });
  });

  it('reads intervalMs, readErrorsInARow and a fractional or negative minBalance', () => {
    const config = parseConfigText(
      `${MINIMAL_CONFIG}health: { intervalMs: 5000, readErrorsInARow: 2, minBalance: -0.5 }\n`,
      {},
    );
    expect(config.health).toEqual({ intervalMs: 5_000, readErrorsInARow: 2, minBalance: -0.5 });
  });

  it('names each bad key with a message an operator understands', () => {
    expect(
      issuesOf(`${MINIMAL_CONFIG}health: { intervalMs: 10, readErrorsInARow: 0, minBalance: "ten" }\n`),
    ).toEqual(
      expect.arrayContaining([
        'health.intervalMs: must be at least 100',
        'health.readErrorsInARow: must be at least 1',
        'health.minBalance: expected number, got string',
      ]),
    );
    expect(issuesOf(`${MINIMAL_CONFIG}health: { intervalMs: 1500.5 }\n`)).toEqual([
      expect.stringMatching(/^health\.intervalMs: .*integer/),
    ]);
  });

  it('refuses an unknown key under health (a typo is not a default)', () => {
    expect(issuesOf(`${MINIMAL_CONFIG}health: { minBalanse: 10 }\n`)).toEqual([
      'unknown key "minBalanse" in health',
    ]);
  });

  describe('the low-balance threshold SIM health uses', () => {
    const rulesOf = (yaml: string) => simHealthRulesOf(parseConfigText(`${MINIMAL_CONFIG}${yaml}`, {}));

    it('is sims.minBalance when only the sims section sets one', () => {
      expect(rulesOf('sims: { minBalance: 10, list: [] }\n')).toEqual({
        readErrorsInARow: 5,
        minBalance: 10,
      });
    });

    it('is health.minBalance when both are set, even when it is lower', () => {
      const rules = rulesOf('sims: { minBalance: 10, list: [] }\nhealth: { minBalance: 2.5 }\n');
      expect(rules.minBalance).toBe(2.5);
      expect(rulesOf('sims: { minBalance: 10, list: [] }\nhealth: { minBalance: 0 }\n').minBalance).toBe(0);
    });

    it('is null (balance not judged) when neither is set, also with sims as a plain list', () => {
      expect(rulesOf('sims: []\n').minBalance).toBeNull();
      expect(rulesOf('').minBalance).toBeNull();
    });
  });
});
