import { describe, expect, it } from 'vitest';
import { normalizeIccid, parseConfigText, simDirectory } from '../../src/config/index.js';
import { configSchema } from '../../src/config/schema.js';
import { simKeyOf } from '../../src/health/sim-health-monitor.js';
import { parseIccid } from '../../src/modem/parsers/parse-ccid.js';
import { joinLiveSims, localSimRecords } from '../../src/reseller/live-sims.js';
import { modemSnapshot } from '../reseller/support/modem-snapshot.js';
import { configError } from './support/config-error.js';

/**
 * One ICCID, however a modem or an operator writes it: the trailing F of the BCD filler nibble
 * (one for an odd length, "FF" from some firmware), in either case, must map to the same key in
 * the config lookups, the health keys, the partner's live SIMs and the modem parser.
 */
const DIGITS_19 = '8970101234567890123';
const DIGITS_20 = '89701012345678901234';
const FORMS: Array<[string, string]> = [
  [DIGITS_19, DIGITS_19],
  [`${DIGITS_19}F`, DIGITS_19],
  [`${DIGITS_19}f`, DIGITS_19],
  [`${DIGITS_19}FF`, DIGITS_19],
  [DIGITS_20, DIGITS_20],
  [`${DIGITS_20}F`, DIGITS_20],
  [`${DIGITS_20}FF`, DIGITS_20],
  [` ${DIGITS_20} `, DIGITS_20],
];

describe('ICCID normalising', () => {
  it.each(FORMS)('%j is %s', (written, key) => {
    expect(normalizeIccid(written)).toBe(key);
  });

  it.each(FORMS)('%j: the config, health, live-SIM and modem paths agree', (written, key) => {
    const sims = [{ iccid: written.trim(), phone: '79000000001', country: 'russia', operator: 'mts' }];
    // The modem printed the other padding than the config was written with.
    const printed = written.trim().endsWith('F') ? key : `${key}F`;
    const snapshot = modemSnapshot(printed);
    expect(simDirectory({ sims }).phoneFor({ iccid: printed, imsi: null })).toBe('79000000001');
    expect(simKeyOf(snapshot.identity)).toBe(key);
    expect(joinLiveSims(sims, [snapshot], ['vk'])[0]?.online).toBe(true);
    expect(localSimRecords(sims, [snapshot], ['vk']).map((r) => [r.simKey, r.iccid])).toEqual([[key, key]]);
    expect(parseIccid([`+CCID: ${written.trim()}`])).toBe(key);
  });

  it('reads the raw BCD of a 19-digit ICCID from +CRSM, its filler nibble swapped in', () => {
    // EF_ICCID holds 8970101234567890123 as the bytes 98 07 01 21 43 65 87 09 21 F3.
    expect(parseIccid(['+CRSM: 144,0,"980701214365870921F3"'])).toBe(DIGITS_19);
    expect(parseIccid(['+CRSM: 144,0,"98070121436587092143"'])).toBe(DIGITS_20);
  });

  it('accepts the padded forms in the config and counts them as one SIM', () => {
    const base = {
      onlinesim: { pushUrl: 'https://partner.example/push', apiKey: 'k' },
      modems: { ports: ['/dev/gsm/*'] },
    };
    for (const [written] of FORMS) {
      const sims = [{ iccid: written.trim(), phone: '79000000001' }];
      expect(configSchema.safeParse({ ...base, sims }).success, written).toBe(true);
    }
    expect(
      configSchema.safeParse({ ...base, sims: [{ iccid: `${DIGITS_20}FFF`, phone: '7' }] }).success,
    ).toBe(false);
    const text = `onlinesim: { pushUrl: "https://partner.example/push", apiKey: k }
modems: { ports: ["/dev/gsm/*"] }
sims:
  - { iccid: "${DIGITS_19}F", phone: "79000000001" }
  - { iccid: "${DIGITS_19}FF", phone: "79000000002" }
`;
    expect(configError(() => parseConfigText(text, {})).issues).toEqual([
      `sims[1].iccid: duplicate of sims[0].iccid (${DIGITS_19}FF)`,
    ]);
  });
});
