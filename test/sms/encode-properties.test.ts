import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePdu } from '../../src/sms/decode-pdu.js';
import { encodeSmsDeliver } from '../../src/sms/encode-deliver.js';
import { Reassembler } from '../../src/sms/reassembler.js';

// Characters from every class the splitter must respect: default alphabet, extension table
// (two septets), non-GSM BMP text and astral characters (surrogate pairs).
const CHARS = [
  'a',
  'Z',
  '0',
  ' ',
  '@',
  'é',
  '\n',
  '€',
  '{',
  '}',
  '[',
  ']',
  '~',
  '\\',
  '|',
  '^',
  'ж',
  'ğ',
  '😀',
  '🎉',
  '𝄞',
];
const textArb = fc.array(fc.constantFrom(...CHARS), { maxLength: 400 }).map((chars) => chars.join(''));

describe('encodeSmsDeliver properties', () => {
  it('every part decodes alone, and the parts join back to the text in any arrival order', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.constantFrom(8 as const, 16 as const),
        fc.integer({ min: 0, max: 255 }),
        fc.integer(),
        (text, referenceBits, reference, seed) => {
          const pdus = encodeSmsDeliver({ sender: '+79161234567', text, referenceBits, reference });
          const decoded = pdus.map((pdu) => decodePdu(pdu));
          const parts = decoded.map((d) => {
            if (d.type !== 'deliver') throw new Error('expected a DELIVER');
            return d;
          });
          expect(parts.map((p) => p.text).join('')).toBe(text);
          if (parts.length === 1) {
            expect(parts[0]?.concat).toBeNull();
            return;
          }
          const r = new Reassembler();
          const order = parts
            .map((_, i) => i)
            .sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
          const results = order.map((i, n) => {
            const p = parts[i];
            if (p?.concat == null) throw new Error('expected concatenation');
            return r.add({ sim: 's', sender: p.sender, text: p.text, ...p.concat }, n);
          });
          expect(results.at(-1)).toMatchObject({ kind: 'complete', text });
        },
      ),
      { numRuns: 200 },
    );
  });
});
