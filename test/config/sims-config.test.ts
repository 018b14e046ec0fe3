import { describe, expect, it } from 'vitest';
import { formatConfigIssues } from '../../src/config/format-issues.js';
import { configSchema } from '../../src/config/schema.js';

const BASE = {
  onlinesim: { pushUrl: 'https://partner.example/push', apiKey: 'k' },
  modems: { ports: ['/dev/gsm/*'] },
};
const SIM = { iccid: '89701012345678901234', phone: '79088081050', country: 'russia', operator: 'mts' };

const issues = (raw: Record<string, unknown>): string[] => {
  const parsed = configSchema.safeParse({ ...BASE, ...raw });
  return parsed.success ? [] : formatConfigIssues(parsed.error.issues);
};

describe('config: sims as a list or a mapping, and operators', () => {
  it('keeps the list form of CONTRACT.md §2, with default discovery settings', () => {
    const config = configSchema.parse({ ...BASE, sims: [SIM] });
    expect(config.sims).toEqual([SIM]);
    expect(config.simOptions).toEqual({
      autoConfirm: false,
      balanceIntervalMs: 21_600_000,
      ussdTimeoutMs: 30_000,
    });
    expect(config.operators).toEqual({});
  });

  it('accepts the mapping form with its settings beside the list', () => {
    const config = configSchema.parse({
      ...BASE,
      sims: { autoConfirm: true, balanceIntervalMs: 60_000, minBalance: 10, list: [SIM] },
      operators: {
        mts: { country: 'russia', imsiPrefixes: ['25001'], numberUssd: '*111*0887#', balanceUssd: '*100#' },
      },
    });
    expect(config.sims).toEqual([SIM]);
    expect(config.simOptions).toEqual({
      autoConfirm: true,
      balanceIntervalMs: 60_000,
      minBalance: 10,
      ussdTimeoutMs: 30_000,
    });
    expect(config.operators.mts?.numberUssd).toBe('*111*0887#');
  });

  it('takes no sims at all (every number discovered)', () => {
    expect(configSchema.parse(BASE).sims).toEqual([]);
  });

  it('names the key of a bad entry in either form', () => {
    expect(issues({ sims: [{ ...SIM, phone: '+7908' }] })).toEqual([
      'sims[0].phone: expected digits only, got "+7908"',
    ]);
    expect(issues({ sims: { list: [{ ...SIM, phone: '12' }] } })).toEqual([
      'sims.list[0].phone: expected 7 to 15 digits, got "12"',
    ]);
    expect(issues({ sims: { autoconfirm: true } })).toEqual(['unknown key "autoconfirm" in sims']);
    expect(issues({ sims: { autoConfirm: 'yes' } })).toEqual([
      'sims.autoConfirm: expected boolean, got string',
    ]);
  });

  it('checks operators: country, IMSI prefixes and USSD codes', () => {
    expect(
      issues({ operators: { mts: { country: 'russia', imsiPrefixes: ['250'], numberUssd: '111' } } }),
    ).toEqual([
      'operators.mts.imsiPrefixes[0]: expected MCC+MNC, 5 or 6 digits',
      'operators.mts.numberUssd: expected a USSD code such as "*100#" (digits, "*" and "#", ending in "#")',
    ]);
    expect(issues({ operators: { mts: { imsiPrefixes: ['25001'], balanceUsd: '*100#' } } })).toEqual([
      'operators.mts.country: required',
      'unknown key "balanceUsd" in operators.mts',
    ]);
  });
});
