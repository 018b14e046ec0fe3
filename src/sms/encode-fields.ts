/**
 * Field encoders shared by the TPDU encoders: addresses (TS 23.040 §9.1.2.5), the service
 * centre address (TS 24.011 §8.2.5.1) and time stamps (TS 23.040 §9.2.3.11).
 */
import { GatewayError } from '../errors.js';
import { textToSeptetGroups } from './encode-gsm7-text.js';
import { packSeptets } from './encode-septets.js';

/** How a digit-only address is typed when it has no leading `+`. */
export type PlainNumberType = 'unknown' | 'national';

/** Raised for encoder input that cannot be put in a PDU. */
export function encodeError(message: string, context: Record<string, unknown> = {}): GatewayError {
  return new GatewayError('SMS_ENCODE_INVALID', message, { context });
}

/** `value` when it is an octet (0..255), else `SMS_ENCODE_INVALID` naming the field. */
export function checkOctet(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff)
    throw encodeError(`${field} must be an octet`, { value });
  return value;
}

const TOA_INTERNATIONAL = 0x91; // TON 1, NPI 1 (E.164)
const TOA_NATIONAL = 0xa1; // TON 2, NPI 1
const TOA_UNKNOWN = 0x81; // TON 0, NPI 1
const TOA_ALPHANUMERIC = 0xd0; // TON 5, NPI 0
const MAX_ADDRESS_DIGITS = 20;
const MAX_ALPHANUMERIC_CHARS = 11;
const SEMI_OCTET_VALUES = '0123456789*#abc';

/** Semi-octets low nibble first, F-filled (TS 23.040 §9.1.2.3). */
function swappedBcd(digits: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < digits.length; i += 2) {
    const low = SEMI_OCTET_VALUES.indexOf(digits.charAt(i));
    const high = i + 1 < digits.length ? SEMI_OCTET_VALUES.indexOf(digits.charAt(i + 1)) : 0x0f;
    out.push((high << 4) | low);
  }
  return out;
}

/**
 * TP-OA / TP-DA / TP-RA (TS 23.040 §9.1.2.5): `+digits` -> international, digits -> `plainType`
 * (unknown by default), anything else -> alphanumeric, GSM 7-bit packed, at most 11 characters.
 */
export function encodeTpAddress(address: string, plainType: PlainNumberType = 'unknown'): number[] {
  const international = /^\+[0-9]+$/.test(address);
  if (international || /^[0-9*#]+$/.test(address)) {
    const digits = international ? address.slice(1) : address;
    if (digits.length > MAX_ADDRESS_DIGITS) throw encodeError('address has more than 20 digits', { address });
    const toa = international ? TOA_INTERNATIONAL : plainType === 'national' ? TOA_NATIONAL : TOA_UNKNOWN;
    return [digits.length, toa, ...swappedBcd(digits)];
  }
  const groups = textToSeptetGroups(address);
  if (address.length === 0 || groups === null) {
    throw encodeError('alphanumeric address is empty or not in the GSM 7-bit alphabet', { address });
  }
  const septets = groups.flat();
  if (septets.length > MAX_ALPHANUMERIC_CHARS) {
    throw encodeError('alphanumeric address longer than 11 septets', { address });
  }
  const packed = packSeptets(septets);
  // The length counts useful semi-octets: 7 bits per septet, rounded up to a nibble.
  return [Math.ceil((septets.length * 7) / 4), TOA_ALPHANUMERIC, ...packed];
}

/** SMSC field: `00` for none, else length in octets, type of address, swapped BCD. */
export function encodeSmsc(smsc: string | null | undefined): number[] {
  if (smsc === null || smsc === undefined || smsc === '') return [0];
  const international = smsc.startsWith('+');
  const digits = international ? smsc.slice(1) : smsc;
  if (!/^[0-9]{1,20}$/.test(digits)) throw encodeError('SMSC must be digits with an optional +', { smsc });
  const bcd = swappedBcd(digits);
  return [bcd.length + 1, international ? TOA_INTERNATIONAL : TOA_UNKNOWN, ...bcd];
}

const MINUTES_PER_QUARTER = 15;
/** TS 23.040 §9.2.3.11 allows a zone of at most ±79 quarters (two BCD digits, 7 bits used). */
const MAX_QUARTERS = 79;

/**
 * TP-SCTS / TP-DT (TS 23.040 §9.2.3.11): the wall-clock time in the zone `quarters` quarter hours
 * east of UTC, as swapped BCD yy MM dd hh mm ss, then the zone with the sign in bit 3.
 */
export function encodeTimestamp(instant: Date, quarters = 0): number[] {
  if (Number.isNaN(instant.getTime())) throw encodeError('timestamp is not a valid date');
  if (!Number.isInteger(quarters) || Math.abs(quarters) > MAX_QUARTERS) {
    throw encodeError('time zone must be a whole number of quarter hours within ±79', { quarters });
  }
  const local = new Date(instant.getTime() + quarters * MINUTES_PER_QUARTER * 60_000);
  const fields = [
    local.getUTCFullYear() % 100,
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ];
  const octets = fields.map((value) => ((value % 10) << 4) | Math.floor(value / 10));
  const zone = Math.abs(quarters);
  octets.push(((zone % 10) << 4) | Math.floor(zone / 10) | (quarters < 0 ? 0x08 : 0));
  return octets;
}
