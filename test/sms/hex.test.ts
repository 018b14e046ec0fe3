import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/sms/index.js';
import { expectDecodeError } from './support/expect-decode-error.js';

describe('hexToBytes', () => {
  it('reads upper and lower case pairs', () => {
    expect(Array.from(hexToBytes('00aFfF7e'))).toEqual([0x00, 0xaf, 0xff, 0x7e]);
    expect(hexToBytes('')).toHaveLength(0);
  });

  it.each([
    ['odd length', '0A1', 1],
    ['non-hex letter in the second octet', '00G0', 1],
    ['space inside', '00 1', 1],
    ['non-ASCII', '00é0', 1],
    ['sign', '-1', 0],
  ])('rejects %s with SMS_PDU_INVALID_HEX and the octet offset', (_name, input, offset) => {
    expectDecodeError(() => hexToBytes(input), 'SMS_PDU_INVALID_HEX', offset);
  });
});

describe('bytesToHex', () => {
  it('writes uppercase, two digits per octet, over a range', () => {
    expect(bytesToHex(Uint8Array.from([0, 0x0f, 0xde, 0xad]))).toBe('000FDEAD');
    expect(bytesToHex(Uint8Array.from([1, 2, 3, 4]), 1, 3)).toBe('0203');
  });
});
