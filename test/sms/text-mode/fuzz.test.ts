import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCmglText, parseCmgrText, TextModeError } from '../../../src/sms/text-mode/index.js';

const pieces = [
  '+CMGR: ',
  '+CMGL: ',
  '"',
  ',',
  '1',
  '145',
  '"REC READ"',
  '"+7916"',
  '24/11/25,12:00:00+12',
  'x',
  ' ',
  '00',
  'D83D',
];
const lineArb = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.array(fc.constantFrom(...pieces), { maxLength: 20 }).map((p) => p.join('')),
);

describe('text-mode parsers: contract', () => {
  it('return a message or throw TextModeError, nothing else', () => {
    fc.assert(
      fc.property(
        lineArb,
        fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom('GSM' as const, 'IRA' as const, 'UCS2' as const),
        (line, body, csdh, charset) => {
          for (const parse of [parseCmgrText, parseCmglText]) {
            try {
              const read = parse(line, body, { csdh, charset });
              expect(typeof read.sms.text).toBe('string');
            } catch (err) {
              expect(err).toBeInstanceOf(TextModeError);
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
