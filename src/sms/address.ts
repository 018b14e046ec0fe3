import { septetsToText, unpackSeptets } from './gsm7.js';
import type { PduReader } from './pdu-reader.js';
import type { SenderType } from './types.js';

/** A decoded address field: the text as shown to users and how to read it. */
export interface DecodedAddress {
  /** `+digits` for international, digits as sent otherwise, decoded text for alphanumeric. */
  address: string;
  type: SenderType;
  /** Raw type-of-address octet (TS 23.040 §9.1.2.5). */
  typeOfAddress: number;
}

/** TS 23.040 §9.1.2.3 semi-octet values: 0-9, then `*`, `#`, `a`, `b`, `c`; F is the filler. */
const SEMI_OCTET_CHARS = '0123456789*#abc';
const FILLER = 0x0f;

/** Longest TP-OA/TP-DA/TP-RA value: 20 semi-octets (10 octets, TS 23.040 §9.1.2.5). */
const MAX_TP_ADDRESS_SEMI_OCTETS = 20;
/** Longest RP-SC address: 10 octets of value plus the type-of-address octet (TS 24.011 §8.2.5.1). */
const MAX_SMSC_OCTETS = 11;

const TON_INTERNATIONAL = 1;
const TON_NATIONAL = 2;
const TON_ALPHANUMERIC = 5;

/**
 * The simplified sender type for a type-of-address octet: TON 1 international, 2 national,
 * 5 alphanumeric, every other TON (unknown, network specific, subscriber, abbreviated,
 * reserved) `unknown` (TS 23.040 §9.1.2.5; the NPI does not change it).
 */
export function senderTypeOf(typeOfAddress: number): SenderType {
  switch ((typeOfAddress >> 4) & 0x07) {
    case TON_INTERNATIONAL:
      return 'international';
    case TON_NATIONAL:
      return 'national';
    case TON_ALPHANUMERIC:
      return 'alphanumeric';
    default:
      return 'unknown';
  }
}

function nibbleAt(bytes: Uint8Array, start: number, index: number): number {
  const octet = bytes[start + (index >> 1)] ?? 0;
  return index % 2 === 0 ? octet & 0x0f : octet >> 4;
}

/**
 * Reads `digitCount` semi-octet digits (TS 23.040 §9.1.2.3: low nibble first). Filler nibbles F
 * are accepted only at the end (some service centres count them in the length) and dropped; an
 * F followed by a digit means the field is corrupt, so it is an error rather than a wrong number.
 */
function readSemiOctets(reader: PduReader, start: number, digitCount: number): string {
  const bytes = reader.bytes;
  let digits = '';
  for (let i = 0; i < digitCount; i += 1) {
    const nibble = nibbleAt(bytes, start, i);
    if (nibble !== FILLER) {
      digits += SEMI_OCTET_CHARS[nibble];
      continue;
    }
    for (let rest = i + 1; rest < digitCount; rest += 1) {
      if (nibbleAt(bytes, start, rest) !== FILLER) {
        throw reader.invalid('filler nibble F inside an address', start + (i >> 1));
      }
    }
    break;
  }
  return digits;
}

/**
 * Decodes an alphanumeric address: GSM 7-bit packed default alphabet (TS 23.040 §9.1.2.5),
 * `semiOctets * 4 / 7` septets. Some service centres give twice the octet count instead of the
 * useful semi-octets; for a 7-character name that leaves 7 spare bits which then read as one more
 * character, `@` (zeros) or CR (the TS 23.038 §6.1.2.3.1 padding). Only in that exact case (the
 * septets fill the octets to the last bit) a trailing `@` or CR is taken for padding and dropped.
 */
function readAlphanumeric(reader: PduReader, start: number, semiOctets: number): string {
  const count = Math.floor((semiOctets * 4) / 7);
  const septets = unpackSeptets(reader.bytes, start, 0, count);
  const last = septets[count - 1];
  const fillsExactly = count * 7 === semiOctets * 4;
  const trimmed = fillsExactly && (last === 0x00 || last === 0x0d) ? septets.subarray(0, count - 1) : septets;
  return septetsToText(trimmed);
}

function readAddressValue(
  reader: PduReader,
  typeOfAddress: number,
  start: number,
  semiOctets: number,
): string {
  const type = senderTypeOf(typeOfAddress);
  if (type === 'alphanumeric') return readAlphanumeric(reader, start, semiOctets);
  const digits = readSemiOctets(reader, start, semiOctets);
  return type === 'international' && digits.length > 0 ? `+${digits}` : digits;
}

/**
 * Reads TP-OA / TP-DA / TP-RA (TS 23.040 §9.1.2.5): length in useful semi-octets, the
 * type-of-address octet, then `ceil(length / 2)` octets.
 *
 * @throws SmsDecodeError `SMS_PDU_TRUNCATED` when the PDU ends inside the field,
 *   `SMS_PDU_INVALID` for a length over 20 semi-octets or a misplaced filler.
 */
export function readTpAddress(reader: PduReader, field: string): DecodedAddress {
  const lengthOffset = reader.offset;
  const semiOctets = reader.readOctet(`${field} length`);
  if (semiOctets > MAX_TP_ADDRESS_SEMI_OCTETS) {
    throw reader.invalid(
      `${field} length ${semiOctets} exceeds ${MAX_TP_ADDRESS_SEMI_OCTETS} semi-octets`,
      lengthOffset,
    );
  }
  const typeOfAddress = reader.readOctet(`${field} type of address`);
  const start = reader.take((semiOctets + 1) >> 1, field);
  return {
    address: readAddressValue(reader, typeOfAddress, start, semiOctets),
    type: senderTypeOf(typeOfAddress),
    typeOfAddress,
  };
}

/**
 * Reads the SMSC field that `AT+CMGR`/`AT+CMGL` put before the TPDU (TS 27.005 §3.1, the RP-SC
 * address of TS 24.011 §8.2.5.1): length in octets including the type-of-address octet.
 * Returns null when the length is 0 or only a type-of-address octet is present.
 */
export function readSmscAddress(reader: PduReader): string | null {
  const lengthOffset = reader.offset;
  const octets = reader.readOctet('SMSC length');
  if (octets === 0) return null;
  if (octets > MAX_SMSC_OCTETS) {
    throw reader.invalid(`SMSC length ${octets} exceeds ${MAX_SMSC_OCTETS} octets`, lengthOffset);
  }
  const typeOfAddress = reader.readOctet('SMSC type of address');
  const valueOctets = octets - 1;
  const start = reader.take(valueOctets, 'SMSC address');
  if (valueOctets === 0) return null;
  const address = readAddressValue(reader, typeOfAddress, start, valueOctets * 2);
  return address === '' ? null : address;
}
