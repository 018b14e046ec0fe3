/**
 * Builds PDUs field by field for table tests, from the TS 23.040 §9.2.2.1 layout, so each case
 * states only the field it is about. Independent of the codec's own encoder on purpose.
 */
import { GSM7_DEFAULT_TABLE, GSM7_EXTENSION_TABLE } from '../../../src/sms/gsm7-tables.js';

export const hex = (bytes: ArrayLike<number>): string =>
  Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');

/** Packs septets LSB first after `fillBits` zero bits (TS 23.038 §6.1.2.1.1). */
export function packSeptets(septets: readonly number[], fillBits = 0): number[] {
  const out = new Array<number>(Math.ceil((fillBits + septets.length * 7) / 8)).fill(0);
  let bit = fillBits;
  for (const septet of septets) {
    const index = bit >> 3;
    const shift = bit & 7;
    out[index] = ((out[index] ?? 0) | (septet << shift)) & 0xff;
    if (shift > 1) out[index + 1] = (out[index + 1] ?? 0) | (septet >> (8 - shift));
    bit += 7;
  }
  return out;
}

/** Default-alphabet septets for `text` (extension characters as escape + code). */
export function toSeptets(text: string): number[] {
  const septets: number[] = [];
  for (const char of text) {
    const base = GSM7_DEFAULT_TABLE.indexOf(char);
    if (base >= 0 && base !== 0x1b) {
      septets.push(base);
      continue;
    }
    const ext = GSM7_EXTENSION_TABLE.indexOf(char);
    if (ext < 0) throw new Error(`not in the GSM 7-bit alphabet: ${char}`);
    septets.push(0x1b, ext);
  }
  return septets;
}

/** TP-UDL + TP-UD hex for GSM 7-bit septets, after an optional UDH (hex, UDHL included). */
export function gsm7UserData(septets: readonly number[], udh = ''): string {
  const headerOctets = udh.length / 2;
  const headerSeptets = Math.ceil((headerOctets * 8) / 7);
  const fill = headerSeptets * 7 - headerOctets * 8;
  const udl = headerSeptets + septets.length;
  const packed = packSeptets(septets, fill);
  return hex([udl]) + udh + hex(packed);
}

/** TP-UDL + TP-UD hex for octet user data (8-bit or UCS-2) after an optional UDH. */
export function octetUserData(payloadHex: string, udh = ''): string {
  return hex([(udh.length + payloadHex.length) / 2]) + udh + payloadHex;
}

/** UTF-16BE hex of `text`. */
export function ucs2Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1)
    out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return out;
}

export interface DeliverFields {
  /** SMSC field hex including its length octet; default `00` (none). */
  smsc?: string;
  firstOctet?: number;
  /** TP-OA hex including length and type of address; default +79161234567. */
  originator?: string;
  pid?: number;
  dcs?: number;
  /** TP-SCTS, 7 octets hex; default 2026-11-24 12:00:00 +03:00. */
  scts?: string;
  /** TP-UDL + TP-UD hex. */
  userData: string;
}

export const DEFAULT_ORIGINATOR = '0B919761214365F7';
export const DEFAULT_SCTS = '62114221000021';

/** An SMS-DELIVER PDU as a modem prints it. First octet default 0x04 (0x44 with a header). */
export function deliverPdu(fields: DeliverFields): string {
  return (
    (fields.smsc ?? '00') +
    hex([fields.firstOctet ?? 0x04]) +
    (fields.originator ?? DEFAULT_ORIGINATOR) +
    hex([fields.pid ?? 0, fields.dcs ?? 0]) +
    (fields.scts ?? DEFAULT_SCTS) +
    fields.userData
  );
}
