import { describe, expect, it } from 'vitest';
import { PduReader, parseUserDataHeader } from '../../src/sms/index.js';
import { expectDecodeError } from './support/expect-decode-error.js';

/** Parses IEs given as hex (without the UDHL octet), placed at offset 3 of a PDU. */
function parse(iesHex: string) {
  const bytes = Uint8Array.from(Buffer.from(`AABBCC${iesHex}`, 'hex'));
  return parseUserDataHeader(new PduReader(bytes), 3, iesHex.length / 2);
}

describe('user data header IEs (TS 23.040 §9.2.3.24)', () => {
  it('reads an 8-bit reference concatenation IE 0x00 (§9.2.3.24.1)', () => {
    expect(parse('00034A0201').concat).toEqual({ reference: 0x4a, total: 2, sequence: 1, referenceBits: 8 });
  });

  it('reads a 16-bit reference concatenation IE 0x08 (§9.2.3.24.8)', () => {
    expect(parse('0804C1560303').concat).toEqual({
      reference: 0xc156,
      total: 3,
      sequence: 3,
      referenceBits: 16,
    });
  });

  it('reads national language shift IEs 0x24 and 0x25 (§9.2.3.24.15/.16)', () => {
    expect(parse('240102250101')).toMatchObject({
      singleShiftLanguage: 2,
      lockingShiftLanguage: 1,
      concat: null,
    });
  });

  it('skips other IEs but keeps them, with their offsets', () => {
    // Application port addressing 16-bit (IE 0x05, WAP push) then concatenation: vector p-udh-other-ie-001.
    const header = parse('05040B8423F00003110201');
    expect(header.concat).toMatchObject({ reference: 0x11, total: 2, sequence: 1 });
    expect(header.elements.map((e) => [e.id, e.offset, Buffer.from(e.data).toString('hex')])).toEqual([
      [0x05, 5, '0b8423f0'],
      [0x00, 11, '110201'],
    ]);
  });

  it('uses the last of repeated concatenation IEs (§9.2.3.24)', () => {
    expect(parse('0003010201' + '0804ABCD0302').concat).toMatchObject({
      reference: 0xabcd,
      total: 3,
      sequence: 2,
    });
  });

  it.each([
    ['total 0', '0003010001'],
    ['sequence 0', '0003010200'],
    ['sequence above total', '0003010203'],
  ])('ignores a concatenation IE with %s (§9.2.3.24.1)', (_name, ies) => {
    expect(parse(ies).concat).toBeNull();
  });

  it('accepts an empty header and zero-length unknown IEs', () => {
    expect(parse('').elements).toEqual([]);
    expect(parse('7000').elements).toHaveLength(1);
  });

  it.each([
    ['an IE running past the header', '0005010201', 3],
    ['a lone IEI octet', '00030102010A', 8],
    ['concatenation IE 0x00 of length 4', '000401020100', 3],
    ['concatenation IE 0x08 of length 3', '0803010201', 3],
    ['single shift IE of length 2', '24020101', 3],
    ['locking shift IE of length 0', '2500', 3],
  ])('rejects %s with SMS_PDU_INVALID at the IE', (_name, ies, offset) => {
    expectDecodeError(() => parse(ies), 'SMS_PDU_INVALID', offset);
  });
});
