import type { PduReader } from './pdu-reader.js';

/** Octets of TP-SCTS / TP-DT (TS 23.040 §9.2.3.11). */
export const TIMESTAMP_OCTETS = 7;

/**
 * Two-digit years from 90 up are read as 19YY, the others as 20YY. TS 23.040 §9.2.3.11 carries
 * only YY; no SMS can be stamped 2090+ yet, while old PDUs from 1990-1999 exist in documentation
 * (the classic `99` example). Revisit before 2090.
 */
export const CENTURY_PIVOT_YY = 90;

const FIELD_NAMES = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
/** Inclusive [min, max] per field; `day` is checked against the month below. */
const FIELD_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0, 99],
  [1, 12],
  [1, 31],
  [0, 23],
  [0, 59],
  [0, 59],
];

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

/**
 * Formats the time-zone octet (TS 23.040 §9.2.3.11): quarter hours in swapped BCD, the sign in
 * bit 3 of the tens digit. Zero is `+00:00` even with the sign bit set. Values up to 79 quarters
 * are accepted as sent (service centres exist that send more than ±14 h).
 */
function formatZone(reader: PduReader, octet: number, offset: number): string {
  const tens = octet & 0x07;
  const units = octet >> 4;
  if (units > 9) throw reader.invalid(`time zone has a non-BCD digit (0x${octet.toString(16)})`, offset);
  const quarters = tens * 10 + units;
  const sign = (octet & 0x08) !== 0 && quarters !== 0 ? '-' : '+';
  const minutes = quarters * 15;
  return `${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/**
 * Reads a 7-octet absolute time stamp (TP-SCTS, TP-DT; TS 23.040 §9.2.3.11) as ISO 8601 with the
 * offset the PDU carries, e.g. `2026-11-24T12:00:00+03:00` (never `Z`). Each octet is two swapped
 * BCD digits (low nibble = tens).
 *
 * @throws SmsDecodeError `SMS_PDU_TRUNCATED` when fewer than 7 octets remain, `SMS_PDU_INVALID`
 *   for a non-BCD digit or an impossible date or time (offset of the bad octet).
 */
export function readTimestamp(reader: PduReader, field: string): string {
  const start = reader.take(TIMESTAMP_OCTETS, field);
  const bytes = reader.bytes;
  const values = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 6; i += 1) {
    const octet = bytes[start + i] ?? 0;
    const tens = octet & 0x0f;
    const units = octet >> 4;
    const name = FIELD_NAMES[i] ?? 'field';
    if (tens > 9 || units > 9) {
      throw reader.invalid(`${field} ${name} has a non-BCD digit (0x${octet.toString(16)})`, start + i);
    }
    const value = tens * 10 + units;
    const [min, max] = FIELD_RANGES[i] ?? [0, 99];
    if (value < min || value > max)
      throw reader.invalid(`${field} ${name} ${value} is out of range`, start + i);
    values[i] = value;
  }
  const [yy = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = values;
  const year = yy >= CENTURY_PIVOT_YY ? 1900 + yy : 2000 + yy;
  if (day > daysInMonth(year, month)) throw reader.invalid(`${field} day ${day} is out of range`, start + 2);
  const zone = formatZone(reader, bytes[start + 6] ?? 0, start + 6);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}${zone}`;
}
