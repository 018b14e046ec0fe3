import { readSmscAddress, readTpAddress } from '../sms/address.js';
import { unpackSeptets } from '../sms/gsm7.js';
import { GSM7_ESCAPE, GSM7_EXTENSION_TABLE } from '../sms/gsm7-tables.js';
import { hexToBytes } from '../sms/hex.js';
import { PduReader } from '../sms/pdu-reader.js';

/** TP-SCTS length (TS 23.040 §9.2.3.11) and the TP-UDHI bit of the first octet (§9.2.3.23). */
const TIMESTAMP_OCTETS = 7;
const UDHI = 0x40;

/**
 * The text septets of an SMS-DELIVER in the GSM 7-bit default alphabet (UDH and fill bits
 * skipped), read again from the PDU because the decoded text no longer shows an escape
 * (0x1B) that ended the part. Call it only for a PDU that decoded as a GSM 7-bit DELIVER.
 * Returns null if the PDU does not have that shape after all.
 */
export function gsm7TextSeptets(pduHex: string, hasSmsc: boolean): Uint8Array | null {
  try {
    const reader = new PduReader(hexToBytes(pduHex));
    if (hasSmsc) readSmscAddress(reader);
    const firstOctet = reader.readOctet('first octet');
    readTpAddress(reader, 'TP-OA');
    reader.readOctet('TP-PID');
    reader.readOctet('TP-DCS');
    reader.take(TIMESTAMP_OCTETS, 'TP-SCTS');
    const udl = reader.readOctet('TP-UDL');
    const start = reader.offset;
    const headerOctets = (firstOctet & UDHI) !== 0 ? (reader.bytes[start] ?? 0) + 1 : 0;
    const headerSeptets = Math.ceil((headerOctets * 8) / 7);
    const count = udl - headerSeptets;
    if (count < 0 || start + Math.ceil((udl * 7) / 8) > reader.bytes.length) return null;
    return unpackSeptets(reader.bytes, start, headerSeptets * 7, count);
  } catch {
    return null;
  }
}

/** True when the last septet is an escape that starts no pair within the part. */
export function endsWithLoneEscape(septets: Uint8Array): boolean {
  let lone = false;
  for (let i = 0; i < septets.length; i += 1) {
    if (septets[i] !== GSM7_ESCAPE) continue;
    if (i === septets.length - 1) lone = true;
    i += 1; // the escape and its partner are one character
  }
  return lone;
}

/**
 * Repairs the join of two GSM 7-bit parts when the sender split an escape sequence (TS 23.038
 * §6.2.1.1) between them: the first part's decoder showed the lone trailing escape as a space,
 * and the second part's first septet as a default-alphabet character. Returns the two texts with
 * that space dropped and the extension character (e.g. `€` for 0x1B 0x65) in its place, or null
 * when the join needs no repair.
 */
export function joinSplitEscape(
  before: { text: string; septets: Uint8Array },
  after: { text: string; septets: Uint8Array },
): { before: string; after: string } | null {
  if (!endsWithLoneEscape(before.septets)) return null;
  const next = after.septets[0];
  if (next === undefined || next === GSM7_ESCAPE) return null;
  const extension = GSM7_EXTENSION_TABLE[next];
  if (!extension || !before.text.endsWith(' ')) return null;
  return { before: before.text.slice(0, -1), after: extension + after.text.slice(1) };
}
