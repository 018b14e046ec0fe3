import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, decodePdu, decodePduBytes, SmsDecodeError, toDecodeJson } from '../../src/sms/index.js';

/**
 * The decode contract, as ModemManager's PDU fuzzer states it: for any input the decoder returns
 * a message or throws SmsDecodeError (code SMS_*, numeric offset inside the input). A RangeError,
 * TypeError or any other throw is a bug.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const vectorPdus = readFileSync(path.join(here, '../fixtures/sms-deliver.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { pdu: string }).pdu);

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

function checkContract(run: () => unknown, inputOctets: number): void {
  let result: unknown;
  try {
    result = run();
  } catch (err) {
    if (!(err instanceof SmsDecodeError)) throw err;
    expect(err.code).toMatch(/^SMS_/);
    expect(Number.isInteger(err.offset)).toBe(true);
    expect(err.offset).toBeGreaterThanOrEqual(0);
    expect(err.offset).toBeLessThanOrEqual(inputOctets);
    return;
  }
  const decoded = result as ReturnType<typeof decodePduBytes>;
  if (decoded.type === 'deliver') {
    expect(decoded.timestamp).toMatch(ISO_WITH_OFFSET);
    expect(() => JSON.stringify(toDecodeJson(decoded))).not.toThrow();
  }
}

const hasSmsc = fc.boolean();
const runs = { numRuns: 3000 };

describe('decode contract (property)', () => {
  it('random octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), hasSmsc, (bytes, smsc) => {
        checkContract(() => decodePduBytes(bytes, { hasSmsc: smsc }), bytes.length);
      }),
      runs,
    );
  });

  it('random strings of hex digits and other characters', () => {
    const hexChar = fc.constantFrom(...'0123456789abcdefABCDEF');
    const anyChar = fc.oneof(hexChar, hexChar, hexChar, fc.string({ minLength: 1, maxLength: 1 }));
    fc.assert(
      fc.property(fc.array(anyChar, { maxLength: 300 }), hasSmsc, (chars, smsc) => {
        const text = chars.join('');
        checkContract(() => decodePdu(text, { hasSmsc: smsc }), Math.ceil(text.length / 2));
      }),
      runs,
    );
  });

  it('truncations, bit flips and appended octets of every vector', () => {
    const vector = fc.constantFrom(...vectorPdus).map((pdu) => Uint8Array.from(Buffer.from(pdu, 'hex')));
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        kind: fc.constant('append' as const),
        tail: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      }),
    );
    fc.assert(
      fc.property(vector, fc.array(mutation, { minLength: 1, maxLength: 4 }), (original, mutations) => {
        let bytes = original.slice();
        for (const m of mutations) {
          if (m.kind === 'cut') bytes = bytes.subarray(0, m.at % (bytes.length + 1));
          else if (m.kind === 'append') bytes = Uint8Array.from([...bytes, ...m.tail]);
          else if (bytes.length > 0) {
            const at = m.at % bytes.length;
            bytes[at] = m.kind === 'flip' ? (bytes[at] ?? 0) ^ (1 << m.bit) : m.value;
          }
        }
        checkContract(() => decodePduBytes(bytes), bytes.length);
        checkContract(() => decodePdu(bytesToHex(bytes)), bytes.length);
      }),
      { numRuns: 6000 },
    );
  });

  it('structurally plausible PDUs with random header, coding and user data', () => {
    const bcd = (max: number) => fc.integer({ min: 0, max }).map((v) => ((v % 10) << 4) | Math.floor(v / 10));
    const pdu = fc
      .tuple(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.tuple(bcd(99), bcd(12), bcd(31), bcd(23), bcd(59), bcd(59), fc.integer({ min: 0, max: 255 })),
        fc.integer({ min: 0, max: 170 }),
        fc.uint8Array({ maxLength: 160 }),
        fc.option(fc.uint8Array({ maxLength: 12 }), { nil: undefined }),
      )
      .map(([first, oaLen, toa, dcs, scts, udl, ud, udh]) => {
        const oa = new Uint8Array((oaLen + 1) >> 1).fill(0x21);
        const header = udh === undefined ? [] : [udh.length, ...udh];
        return Uint8Array.from([0, first & ~0x03, oaLen, toa, ...oa, 0, dcs, ...scts, udl, ...header, ...ud]);
      });
    fc.assert(
      fc.property(pdu, (bytes) => {
        checkContract(() => decodePduBytes(bytes), bytes.length);
      }),
      runs,
    );
  });
});
