/**
 * Hand-built SMS-DELIVER PDUs (TS 23.040 §9.2.2.1) for pipeline tests, SMSC field included as
 * `AT+CMGR` prints it. Only what the tests need: GSM 7-bit for the ASCII letters, digits and
 * simple punctuation (same code points in the default alphabet) plus `€` (escape 0x1B 0x65),
 * UCS-2 from raw UTF-16 code units (so a surrogate pair can be split), and the 8-bit-reference
 * concatenation IE 0x00 (TS 23.040 §9.2.3.24.1).
 */

export interface DeliverPduSpec {
  /** International digits (no '+') or an alphanumeric name. */
  sender: string;
  /** GSM 7-bit text, or the UTF-16 code units when `ucs2` is set. */
  text?: string;
  gsm7Septets?: number[];
  ucs2Units?: number[];
  concat?: { reference: number; total: number; sequence: number };
  /** Seconds field of TP-SCTS, to make otherwise identical messages distinct. */
  second?: number;
}

const SMSC = '07919761989901F0'; // +79168999100

export function deliverPdu(spec: DeliverPduSpec): string {
  const udh = spec.concat
    ? [0x05, 0x00, 0x03, spec.concat.reference, spec.concat.total, spec.concat.sequence]
    : [];
  const firstOctet = 0x04 | (udh.length > 0 ? 0x40 : 0);
  let dcs: number;
  let udl: number;
  let ud: number[];
  if (spec.ucs2Units) {
    dcs = 0x08;
    ud = [...udh, ...spec.ucs2Units.flatMap((u) => [u >> 8, u & 0xff])];
    udl = ud.length;
  } else {
    dcs = 0x00;
    const septets = spec.gsm7Septets ?? gsm7Septets(spec.text ?? '');
    const headerBits = udh.length * 8;
    const fill = (7 - (headerBits % 7)) % 7;
    ud = packBits(udh, fill, septets);
    udl = Math.ceil(headerBits / 7) + septets.length;
  }
  const scts = [0x62, 0x11, 0x42, 0x21, 0x00, semi(spec.second ?? 0), 0x21];
  const bytes = [firstOctet, ...address(spec.sender), 0x00, dcs, ...scts, udl, ...ud];
  return SMSC + hex(bytes);
}

export function gsm7Septets(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    if (ch === '€') out.push(0x1b, 0x65);
    else if (/^[A-Za-z0-9 .,:!?]$/.test(ch)) out.push(ch.charCodeAt(0));
    else throw new Error(`test PDU builder cannot encode ${ch}`);
  }
  return out;
}

export function utf16Units(text: string): number[] {
  return Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));
}

function address(sender: string): number[] {
  if (/^\d+$/.test(sender)) {
    const digits = sender.length % 2 === 0 ? sender : `${sender}F`;
    const octets: number[] = [];
    for (let i = 0; i < digits.length; i += 2)
      octets.push(Number.parseInt(`${digits[i + 1]}${digits[i]}`, 16));
    return [sender.length, 0x91, ...octets];
  }
  const septets = gsm7Septets(sender);
  const packed = packBits([], 0, septets);
  return [Math.ceil((septets.length * 7) / 4), 0xd0, ...packed];
}

/** Header octets, then `fill` zero bits, then 7-bit septets, LSB first (TS 23.038 §6.1.2.1.1). */
function packBits(header: number[], fill: number, septets: number[]): number[] {
  const bits: number[] = [];
  for (const octet of header) for (let b = 0; b < 8; b += 1) bits.push((octet >> b) & 1);
  for (let b = 0; b < fill; b += 1) bits.push(0);
  for (const septet of septets) for (let b = 0; b < 7; b += 1) bits.push((septet >> b) & 1);
  const out: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    let octet = 0;
    for (let b = 0; b < 8 && i + b < bits.length; b += 1) octet |= (bits[i + b] ?? 0) << b;
    out.push(octet);
  }
  return out;
}

function semi(value: number): number {
  return ((value % 10) << 4) | Math.floor(value / 10);
}

function hex(bytes: number[]): string {
  return bytes
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}
