/**
 * Just enough SMS-DELIVER parsing (TS 23.040 §9.2.2.1) for the emulator's text mode
 * (`AT+CMGF=1`): sender, time stamp and body. The product's real decoder lives in `src/sms`;
 * this one never throws and falls back to the hex for anything it does not understand.
 */

export interface PduSummary {
  sender: string;
  /** Text-mode <tooa>: 145 international, 129 otherwise, 208 alphanumeric. */
  senderToa: number;
  /** `yy/MM/dd,hh:mm:ss±zz` as TS 27.005 §3.3 prints <scts>. */
  scts: string;
  /** Body as text mode shows it: GSM text, UCS2 decoded, 8-bit as hex. */
  body: string;
}

/** GSM 7-bit default alphabet (TS 23.038 §6.2.1); 0x1B is the escape to the extension table. */
const GSM7 =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION: Record<number, string> = {
  10: '\f',
  20: '^',
  40: '{',
  41: '}',
  47: '\\',
  60: '[',
  61: '~',
  62: ']',
  64: '|',
  101: '€',
};

function unpackSeptets(octets: number[], septetCount: number, skipBits: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < septetCount; i++) {
    const bit = skipBits + i * 7;
    const byte = bit >> 3;
    const shift = bit & 7;
    const value = (((octets[byte] ?? 0) | ((octets[byte + 1] ?? 0) << 8)) >> shift) & 0x7f;
    out.push(value);
  }
  return out;
}

function septetsToText(septets: number[]): string {
  let text = '';
  for (let i = 0; i < septets.length; i++) {
    const code = septets[i] as number;
    if (code === 0x1b && i + 1 < septets.length) {
      i++;
      text += GSM7_EXTENSION[septets[i] as number] ?? ' ';
    } else text += GSM7[code] ?? '?';
  }
  return text;
}

function semiOctets(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) out += `${hex[i + 1]}${hex[i]}`;
  return out.replace(/F/gi, '');
}

function hexOctets(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** Summarises a PDU (with SMSC field); null when it is not a readable SMS-DELIVER. */
export function summarizePdu(pdu: string): PduSummary | null {
  try {
    const o = hexOctets(pdu);
    let p = (o[0] ?? 0) + 1;
    const firstOctet = o[p++] ?? 0;
    if ((firstOctet & 0x03) !== 0) return null;
    const addressDigits = o[p++] ?? 0;
    const toa = o[p++] ?? 0;
    const addressOctets = Math.ceil(addressDigits / 2);
    const addressHex = pdu.slice(p * 2, (p + addressOctets) * 2);
    p += addressOctets;
    let sender: string;
    if ((toa & 0x70) === 0x50) {
      sender = septetsToText(unpackSeptets(hexOctets(addressHex), Math.floor((addressDigits * 4) / 7), 0));
    } else {
      sender = `${(toa & 0x70) === 0x10 ? '+' : ''}${semiOctets(addressHex)}`;
    }
    p++; // TP-PID
    const dcs = o[p++] ?? 0;
    const ts = semiOctets(pdu.slice(p * 2, (p + 6) * 2));
    const tzOctet = semiOctets(pdu.slice((p + 6) * 2, (p + 7) * 2));
    p += 7;
    const tzValue = Number.parseInt(tzOctet, 16);
    const quarters = Number(`${(tzValue >> 4) & 0x7}${tzValue & 0xf}`);
    const tzSign = (tzValue & 0x80) !== 0 && quarters !== 0 ? '-' : '+';
    const scts = `${ts.slice(0, 2)}/${ts.slice(2, 4)}/${ts.slice(4, 6)},${ts.slice(6, 8)}:${ts.slice(8, 10)}:${ts.slice(10, 12)}${tzSign}${String(quarters).padStart(2, '0')}`;
    const udl = o[p++] ?? 0;
    const ud = o.slice(p);
    const headerOctets = (firstOctet & 0x40) !== 0 ? (ud[0] ?? 0) + 1 : 0;
    const alphabet = (dcs & 0xc0) === 0 ? (dcs >> 2) & 0x03 : (dcs & 0xf0) === 0xf0 ? (dcs >> 2) & 0x01 : 0;
    let body: string;
    if (alphabet === 0) {
      const skipSeptets = Math.ceil((headerOctets * 8) / 7);
      body = septetsToText(unpackSeptets(ud, udl - skipSeptets, skipSeptets * 7));
    } else if (alphabet === 2) {
      const bytes = ud.slice(headerOctets, udl);
      body = '';
      for (let i = 0; i + 1 < bytes.length; i += 2)
        body += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
    } else {
      body = pdu.slice((p + headerOctets) * 2, (p + udl) * 2).toUpperCase();
    }
    return { sender, senderToa: (toa & 0x70) === 0x50 ? 208 : (toa & 0x70) === 0x10 ? 145 : 129, scts, body };
  } catch {
    return null;
  }
}
