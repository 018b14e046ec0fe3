import { describe, expect, it } from 'vitest';
import { PduReader, readSmscAddress, readTpAddress } from '../../src/sms/index.js';
import { expectDecodeError } from './support/expect-decode-error.js';
import { hex, packSeptets, toSeptets } from './support/pdu-builder.js';

const read = (fieldHex: string) =>
  readTpAddress(new PduReader(Uint8Array.from(Buffer.from(fieldHex, 'hex'))), 'TP-OA');
const smsc = (fieldHex: string) =>
  readSmscAddress(new PduReader(Uint8Array.from(Buffer.from(fieldHex, 'hex'))));

/** Alphanumeric TP-OA for `text` with the length in useful semi-octets (TS 23.040 §9.1.2.5). */
function alphanumeric(text: string, semiOctets?: number): string {
  const septets = toSeptets(text);
  const packed = packSeptets(septets);
  return hex([semiOctets ?? Math.ceil((septets.length * 7) / 4), 0xd0]) + hex(packed);
}

describe('TP-OA by type of number (TS 23.040 §9.1.2.5)', () => {
  it.each([
    // [case, field hex, address, type]; numeric cases from the §9.1.2.3 semi-octet layout.
    ['international, odd digits, F filler', '0B919761214365F7', '+79161234567', 'international'],
    ['international, even digits', '0C914477000910320', '+447700900123', 'international'],
    ['national (TON 2)', '0AA1009673677500', '0069377657', 'national'],
    ['unknown TON 0, short code', '048177620000', '7726', 'unknown'],
    ['subscriber TON 4 / NPI 8 (doc example 0xC8)', '0BC87238880900F1', '27838890001', 'unknown'],
    ['network specific TON 3', '04B12143', '1234', 'unknown'],
    ['abbreviated TON 6', '03E121F3', '123', 'unknown'],
    ['reserved TON 7', '02F12143', '12', 'unknown'],
    ['TON 1 with NPI 0 is still international', '0490214365', '+1234', 'international'],
    ['* # a b c nibbles (§9.1.2.3)', '0681BAC9ED', '*#9abc', 'unknown'],
    ['empty address', '0081', '', 'unknown'],
    ['empty international address gets no +', '0091', '', 'international'],
    ['F counted in the length is dropped', '0C919761214365F7', '+79161234567', 'international'],
  ] as const)('%s', (_name, field, address, type) => {
    const decoded = read(field.length % 2 === 0 ? field : `${field}0`);
    expect(decoded.address).toBe(address);
    expect(decoded.type).toBe(type);
  });

  it('rejects a filler nibble followed by a digit', () => {
    expectDecodeError(() => read('0691F12143'), 'SMS_PDU_INVALID', 2);
  });

  it('rejects more than 20 semi-octets and a field cut short', () => {
    expectDecodeError(() => read(`1591${'11'.repeat(11)}`), 'SMS_PDU_INVALID', 0);
    expectDecodeError(() => read('0B91976121'), 'SMS_PDU_TRUNCATED', 2);
    expectDecodeError(() => read('0B'), 'SMS_PDU_TRUNCATED', 1);
  });
});

describe('alphanumeric TP-OA (GSM 7-bit packed, length in semi-octets)', () => {
  it.each([
    'Instagram', // 9 chars: 63 bits, 16 semi-octets
    'Zalando', // 7 chars: 49 bits, 13 semi-octets
    'Airbnb', // 6 chars
    'VK', // 2 chars
    'Post-NL 11c', // 11 chars, the maximum
    'Shop€', // extension character via escape
    'A[b]', // two escapes, odd total septets
  ])('decodes %j', (text) => {
    expect(read(alphanumeric(text))).toMatchObject({ address: text, type: 'alphanumeric' });
  });

  it('accepts a length of twice the octet count (seen from some service centres)', () => {
    // 'Airbnb' = 42 bits = 6 octets; 12 semi-octets instead of 11 still gives 6 septets.
    expect(read(alphanumeric('Airbnb', 12)).address).toBe('Airbnb');
  });

  it('drops the padding septet when a 7-character name is given 14 semi-octets', () => {
    // 7 septets leave 7 spare bits in 7 octets; 14 semi-octets would read them as an 8th char.
    expect(read(alphanumeric('Zalando', 14)).address).toBe('Zalando');
    const crPadded = hex([14, 0xd0]) + hex(packSeptets([...toSeptets('Zalando'), 0x0d]));
    expect(read(crPadded).address).toBe('Zalando');
  });

  it('keeps a real 8th character in a 14 semi-octet name', () => {
    expect(read(alphanumeric('Zalando!', 14)).address).toBe('Zalando!');
  });
});

describe('SMSC field (TS 27.005 §3.1, length in octets)', () => {
  it.each([
    ['international', '07917283010010F5', '+27381000015'],
    ['national TON', '06A17283010010', '2738100001'],
    ['length 0: absent', '00', null],
    ['only a type-of-address octet: empty', '0191', null],
    ['value all filler: empty', '0291FF', null],
  ])('%s', (_name, field, expected) => {
    expect(smsc(field)).toBe(expected);
  });

  it('rejects an SMSC longer than 11 octets and one cut short', () => {
    expectDecodeError(() => smsc(`0C91${'11'.repeat(11)}`), 'SMS_PDU_INVALID', 0);
    expectDecodeError(() => smsc('079172830100'), 'SMS_PDU_TRUNCATED', 2);
  });
});
