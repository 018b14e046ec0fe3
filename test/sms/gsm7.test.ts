import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GSM7_TABLES,
  decodeGsm7,
  GSM7_DEFAULT_TABLE,
  type NationalShiftTables,
  resolveGsm7Tables,
  septetsToText,
  unpackSeptets,
} from '../../src/sms/index.js';
import { packSeptets, toSeptets } from './support/pdu-builder.js';

const text = (septets: number[]) => septetsToText(Uint8Array.from(septets));

describe('septet unpacking (TS 23.038 §6.1.2.1.1)', () => {
  it('unpacks the "hellohello" doc example', () => {
    const bytes = Uint8Array.from(Buffer.from('E8329BFD4697D9EC37', 'hex'));
    expect(septetsToText(unpackSeptets(bytes, 0, 0, 10))).toBe('hellohello');
  });

  it.each([0, 1, 2, 3, 4, 5, 6])('round-trips after %i fill bits', (fill) => {
    const septets = toSeptets('Fill bits align the text');
    const packed = Uint8Array.from([0x99, ...packSeptets(septets, fill)]);
    expect(Array.from(unpackSeptets(packed, 1, fill, septets.length))).toEqual(septets);
  });

  it('reads only the septets asked for: spare zero bits are never a trailing @', () => {
    // 7 septets in 7 octets leave 7 spare bits, zero here (TS 23.038 §6.1.2.3.1).
    const packed = Uint8Array.from(packSeptets(toSeptets('1234567')));
    expect(packed).toHaveLength(7);
    expect(decodeGsm7(packed, 0, 0, 7)).toBe('1234567');
  });
});

describe('septets to text (TS 23.038 §6.2.1)', () => {
  it('maps the whole default alphabet except the escape', () => {
    const all = Array.from({ length: 128 }, (_, i) => i).filter((i) => i !== 0x1b);
    expect(text(all)).toBe(all.map((i) => GSM7_DEFAULT_TABLE[i]).join(''));
    expect(text([0x00, 0x01, 0x02, 0x03, 0x10, 0x7f])).toBe('@£$¥Δà');
  });

  it('reads escape + code as one extension character (§6.2.1.1)', () => {
    expect(text([0x1b, 0x65, 0x1b, 0x14, 0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x2f])).toBe('€^{}\\');
    expect(text([0x1b, 0x3c, 0x1b, 0x3d, 0x1b, 0x3e, 0x1b, 0x40, 0x1b, 0x0a])).toBe('[~]|\f');
  });

  it('shows the default character for escape + an undefined code (§6.2.1.1)', () => {
    expect(text([0x1b, 0x41, 0x1b, 0x00, 0x1b, 0x0d])).toBe('A@\r');
  });

  it('shows a space for escape + escape, then goes on (§6.2.1.1, reserved extension)', () => {
    expect(text([0x48, 0x1b, 0x1b, 0x49])).toBe('H I');
  });

  it('shows a space for an escape with nothing after it', () => {
    expect(text([0x48, 0x49, 0x1b])).toBe('HI ');
  });
});

describe('one-pass decodeGsm7', () => {
  it('agrees with unpackSeptets + septetsToText for any septets, fill and tables', () => {
    const septets = fc.array(fc.oneof(fc.integer({ min: 0, max: 127 }), fc.constant(0x1b)), {
      maxLength: 170,
    });
    fc.assert(
      fc.property(septets, fc.integer({ min: 0, max: 6 }), (values, fill) => {
        const packed = Uint8Array.from([0xaa, ...packSeptets(values, fill)]);
        const expected = septetsToText(unpackSeptets(packed, 1, fill, values.length));
        expect(decodeGsm7(packed, 1, fill, values.length)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('national language tables (TS 23.038 §6.2.1.2, Annex A)', () => {
  // A stand-in source: locking table with one national letter and one gap, single shift with one.
  const locking = [...GSM7_DEFAULT_TABLE];
  locking[0x40] = 'İ';
  locking[0x41] = '';
  const single = new Array<string>(128).fill('');
  single[0x47] = 'ğ';
  const source: NationalShiftTables = {
    lockingShift: (language) => (language === 1 ? locking : null),
    singleShift: (language) => (language === 1 ? single : null),
  };

  it('uses the locking table for plain codes and the single shift table after an escape', () => {
    const tables = resolveGsm7Tables(source, 1, 1);
    expect(septetsToText(Uint8Array.from([0x40, 0x1b, 0x47, 0x42]), tables)).toBe('İğB');
  });

  it('falls back to the default character for a gap in the locking table', () => {
    expect(septetsToText(Uint8Array.from([0x41]), resolveGsm7Tables(source, 1, 0))).toBe('A');
  });

  it('shows the locking table character for escape + a code the single shift lacks', () => {
    const tables = resolveGsm7Tables(source, 1, 1);
    expect(septetsToText(Uint8Array.from([0x1b, 0x40]), tables)).toBe('İ');
  });

  it('keeps the default extension table when only a locking shift is given', () => {
    expect(septetsToText(Uint8Array.from([0x1b, 0x65]), resolveGsm7Tables(source, 1, 0))).toBe('€');
  });

  it('falls back to the default tables for a language without tables', () => {
    expect(resolveGsm7Tables(source, 9, 9)).toEqual(DEFAULT_GSM7_TABLES);
    expect(resolveGsm7Tables(source, 0, 0)).toBe(DEFAULT_GSM7_TABLES);
  });

  it('caches the resolved tables per language pair', () => {
    expect(resolveGsm7Tables(source, 1, 1)).toBe(resolveGsm7Tables(source, 1, 1));
  });
});
