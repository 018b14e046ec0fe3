import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGsm7Encodable, textToSeptetGroups } from '../../src/sms/encode-gsm7-text.js';
import { bytesToHexUpper } from '../../src/sms/encode-hex.js';
import { headerFillBits, headerSeptets, packSeptets } from '../../src/sms/encode-septets.js';
import { unpackSeptets } from '../../src/sms/gsm7.js';

describe('packSeptets', () => {
  it.each([
    // TS 23.038 worked examples as printed in the public PDU documentation vectors.
    ['hellohello', 'E8329BFD4697D9EC37'], // p-doc-hellohello
    ['How are you?', 'C8F71D14969741F977FD07'], // p-doc-how-are-you
  ])('packs %j', (text, hex) => {
    const septets = Array.from(text, (c) => c.charCodeAt(0));
    expect(bytesToHexUpper(packSeptets(septets))).toBe(hex);
  });

  it('packs 8 septets into exactly 7 octets', () => {
    expect(packSeptets([0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f])).toEqual(
      new Uint8Array(7).fill(0xff),
    );
  });

  it('starts after the fill bits', () => {
    expect(bytesToHexUpper(packSeptets([0x41], 1))).toBe('82');
    expect(bytesToHexUpper(packSeptets([0x41], 6))).toBe('4010');
  });

  it('rejects fill bits outside 0..6', () => {
    expect(() => packSeptets([1], 7)).toThrow(RangeError);
    expect(() => packSeptets([1], -1)).toThrow(RangeError);
  });

  it('is undone by the decoder unpacker for any septets and fill', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 127 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 6 }),
        (values, fill) => {
          const packed = packSeptets(values, fill);
          expect(packed.length).toBe(Math.ceil((fill + values.length * 7) / 8));
          expect(Array.from(unpackSeptets(packed, 0, fill, values.length))).toEqual(values);
        },
      ),
    );
  });
});

describe('header sizes (TS 23.040 §9.2.3.24)', () => {
  it.each([
    [6, 7, 1], // 8-bit concatenation header: 153 septets left
    [7, 8, 0], // 16-bit concatenation header: 152 septets left
    [4, 5, 3], // one national language IE
    [9, 11, 5],
  ])('%i header octets take %i septets with %i fill bits', (octets, septets, fill) => {
    expect(headerSeptets(octets)).toBe(septets);
    expect(headerFillBits(octets)).toBe(fill);
  });
});

describe('textToSeptetGroups', () => {
  it('gives one group per character, escapes kept with their septet', () => {
    expect(textToSeptetGroups('a€@')).toEqual([[0x61], [0x1b, 0x65], [0x00]]);
  });

  it('never encodes a character as the escape position', () => {
    expect(textToSeptetGroups('\u00a0')).toBeNull();
  });

  it('uses national tables when asked', () => {
    // A.3.1 Turkish locking: ş at 0x1D; A.2.1 Turkish single shift: Ğ at 0x47.
    expect(textToSeptetGroups('ş', { lockingShiftLanguage: 1 })).toEqual([[0x1d]]);
    expect(textToSeptetGroups('Ğ', { singleShiftLanguage: 1 })).toEqual([[0x1b, 0x47]]);
    expect(textToSeptetGroups('ş')).toBeNull();
  });

  it('rejects languages without a table', () => {
    expect(textToSeptetGroups('a', { lockingShiftLanguage: 2 })).toBeNull(); // A.3.2 is void
    expect(textToSeptetGroups('a', { singleShiftLanguage: 99 })).toBeNull();
  });

  it('knows what the default alphabet holds', () => {
    expect(isGsm7Encodable('Hello {world} [~] \\ ^ | € £ ¥ è')).toBe(true);
    expect(isGsm7Encodable('Привет')).toBe(false);
    expect(isGsm7Encodable('😀')).toBe(false);
  });
});
