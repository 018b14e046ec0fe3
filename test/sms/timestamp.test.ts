import { describe, expect, it } from 'vitest';
import { PduReader, readTimestamp } from '../../src/sms/index.js';
import { expectDecodeError } from './support/expect-decode-error.js';

const read = (octets: string) =>
  readTimestamp(new PduReader(Uint8Array.from(Buffer.from(octets, 'hex'))), 'TP-SCTS');

describe('TP-SCTS (TS 23.040 §9.2.3.11: swapped BCD, zone in quarter hours, sign in bit 3)', () => {
  it.each([
    // [case, 7 octets hex, ISO]; octets built from the §9.2.3.11 layout unless noted.
    ['zero zone is +00:00, never Z', '62114221000000', '2026-11-24T12:00:00+00:00'],
    [
      'zero zone with the sign bit set is still +00:00 (doc example 0x08)',
      '20806291731408',
      '2002-08-26T19:37:41+00:00',
    ],
    ['+03:00 = 12 quarters (0x21)', '62114221000021', '2026-11-24T12:00:00+03:00'],
    ['+05:45 Nepal = 23 quarters (0x32)', '02502211131032', '2020-05-22T11:31:01+05:45'],
    ['-03:30 Newfoundland = 14 quarters, sign set (0x49)', '02105131307449', '2020-01-15T13:03:47-03:30'],
    ['-00:15: one quarter, negative (0x18)', '22114202223218', '2022-11-24T20:22:23-00:15'],
    ['+14:00 Kiribati = 56 quarters (0x65)', '02506011345165', '2020-05-06T11:43:15+14:00'],
    [
      '-19:45 = 79 quarters, accepted as sent (vector p-gsm7-cr-pad-001)',
      '2280613174459F',
      '2022-08-16T13:47:54-19:45',
    ],
    ['YY 99 reads 1999 (pivot 90)', '99309251619580', '1999-03-29T15:16:59+02:00'],
    ['YY 90 reads 1990', '09101000000000', '1990-01-01T00:00:00+00:00'],
    ['YY 89 reads 2089', '98101000000000', '2089-01-01T00:00:00+00:00'],
    ['YY 00 reads 2000, leap day', '00209200000000', '2000-02-29T00:00:00+00:00'],
    ['end of year, last second', '62211332959500', '2026-12-31T23:59:59+00:00'],
  ])('%s', (_name, octets, iso) => {
    expect(read(octets)).toBe(iso);
  });

  it.each([
    ['non-BCD digit in the month', '620A4221000021', 1],
    ['non-BCD digit in the seconds', '6211422100A021', 5],
    ['non-BCD units digit in the zone (0xA0)', '621142210000A0', 6],
    ['month 13', '62314221000021', 1],
    ['month 00', '62004221000021', 1],
    ['day 00', '62110021000021', 2],
    ['30 February', '62200321000021', 2],
    ['29 February in a common year', '62209221000021', 2],
    ['hour 24', '62114242000021', 3],
    ['minute 60', '62114221060021', 4],
  ])('rejects %s with SMS_PDU_INVALID at its octet', (_name, octets, offset) => {
    expectDecodeError(() => read(octets), 'SMS_PDU_INVALID', offset);
  });

  it('needs all 7 octets', () => {
    expectDecodeError(() => read('621142210000'), 'SMS_PDU_TRUNCATED', 0);
  });
});
