import type { DataCoding } from './dcs.js';
import { decodeGsm7 } from './gsm7.js';
import { bytesToHex } from './hex.js';
import type { PduReader } from './pdu-reader.js';
import { appliedLanguages, type NationalShiftTables, resolveGsm7Tables } from './shift-tables.js';
import { decodeUcs2 } from './ucs2.js';
import { parseUserDataHeader, type UserDataHeader } from './udh.js';

/** Largest TP-UDL: 160 septets for GSM 7-bit, 140 octets otherwise (TS 23.040 §9.2.3.16). */
export const MAX_SEPTETS = 160;
export const MAX_OCTETS = 140;

/** TP-UD decoded: the text of this part and its header, if any. */
export interface UserData {
  text: string;
  header: UserDataHeader | null;
  lockingShiftLanguage: number;
  singleShiftLanguage: number;
}

/** Octets TP-UD occupies for a TP-UDL, TS 23.040 §9.2.3.16 (septets for GSM 7-bit, else octets). */
function userDataOctets(reader: PduReader, udl: number, coding: DataCoding, udlOffset: number): number {
  if (coding.encoding === 'gsm7') {
    if (udl > MAX_SEPTETS) throw reader.invalid(`TP-UDL ${udl} exceeds ${MAX_SEPTETS} septets`, udlOffset);
    return Math.ceil((udl * 7) / 8);
  }
  if (udl > MAX_OCTETS) throw reader.invalid(`TP-UDL ${udl} exceeds ${MAX_OCTETS} octets`, udlOffset);
  return udl;
}

function readHeader(reader: PduReader, start: number, octets: number): UserDataHeader {
  if (octets === 0) throw reader.invalid('TP-UDHI is set but the user data is empty', start);
  const headerLength = reader.bytes[start] ?? 0;
  if (headerLength + 1 > octets) {
    throw reader.invalid(`UDH length ${headerLength} exceeds the user data (${octets} octets)`, start);
  }
  return parseUserDataHeader(reader, start + 1, headerLength);
}

/**
 * Reads TP-UDL and TP-UD (TS 23.040 §9.2.3.16, §9.2.3.24) with the alphabet of `coding`:
 * - GSM 7-bit: after a UDH the text starts at the next septet boundary (fill bits skipped) and
 *   has exactly TP-UDL minus the header septets; spare bits at the end are never a character;
 *   national shift tables from IEs 0x24/0x25 apply (TS 23.038 §6.2.1.2);
 * - UCS-2: UTF-16BE, an odd octet count is an error;
 * - 8-bit: the octets after the UDH as uppercase hex.
 *
 * @throws SmsDecodeError `SMS_PDU_TRUNCATED` when TP-UDL promises more octets than remain,
 *   `SMS_PDU_INVALID` for an over-long TP-UDL, a corrupt UDH, or an odd UCS-2 length.
 */
export function readUserData(
  reader: PduReader,
  hasHeader: boolean,
  coding: DataCoding,
  national: NationalShiftTables,
): UserData {
  const udlOffset = reader.offset;
  const udl = reader.readOctet('TP-UDL');
  const octets = userDataOctets(reader, udl, coding, udlOffset);
  if (octets > reader.remaining) {
    throw reader.truncated(`TP-UD (TP-UDL ${udl})`, octets);
  }
  const start = reader.take(octets, 'TP-UD');
  const bytes = reader.bytes;
  const header = hasHeader ? readHeader(reader, start, octets) : null;
  const headerOctets = header === null ? 0 : (bytes[start] ?? 0) + 1;
  const languages = { lockingShiftLanguage: 0, singleShiftLanguage: 0 };

  if (coding.encoding === 'gsm7') {
    const headerSeptets = Math.ceil((headerOctets * 8) / 7);
    const textSeptets = udl - headerSeptets;
    if (textSeptets < 0) throw reader.invalid(`UDH (${headerSeptets} septets) exceeds TP-UDL ${udl}`, start);
    const locking = header?.lockingShiftLanguage ?? 0;
    const single = header?.singleShiftLanguage ?? 0;
    const tables = resolveGsm7Tables(national, locking, single);
    const text = decodeGsm7(bytes, start, headerSeptets * 7, textSeptets, tables);
    return { text, header, ...(header === null ? languages : appliedLanguages(national, locking, single)) };
  }
  const textStart = start + headerOctets;
  const end = start + octets;
  if (coding.encoding === 'ucs2') {
    if ((end - textStart) % 2 !== 0) {
      throw reader.invalid(`UCS-2 text has an odd number of octets (${end - textStart})`, textStart);
    }
    return { text: decodeUcs2(bytes, textStart, end), header, ...languages };
  }
  return { text: bytesToHex(bytes, textStart, end), header, ...languages };
}
