import { decodeGsm7, septetsToText } from '../../sms/gsm7.js';
import { hexToBytes } from '../../sms/hex.js';
import { decodeUcs2 } from '../../sms/ucs2.js';

/**
 * Decoding of a `+CUSD` string by its data coding scheme (TS 23.038 §5, the cell broadcast
 * scheme USSD uses), pure. Modems print the same reply in different forms (quirks.md §7: the
 * charset they answer in differs by family and by `AT+CSCS`):
 * - GSM 7-bit (DCS 0x0F and the rest of groups 0000/0001/01x0 alphabet 00): as text (most
 *   SIMCom/Quectel firmware with `CSCS="GSM"`), as packed septets in hex (Huawei sticks, the
 *   `0x0F` packed form), or as unpacked septets in hex (one septet per octet, some ZTE);
 * - UCS-2 (DCS 0x48 = 72, group 01xx alphabet 10, and 0x11): UTF-16BE in hex;
 * - 8-bit data (alphabet 01): octets in hex, shown as Latin-1.
 */

export type UssdAlphabet = 'gsm7' | 'ucs2' | '8bit';

/** The alphabet a USSD DCS names (TS 23.038 §5); GSM 7-bit for reserved values, as §5 says. */
export function ussdAlphabet(dcs: number | null): UssdAlphabet {
  if (dcs === null) return 'gsm7';
  const group = dcs >> 4;
  if (dcs === 0x11) return 'ucs2';
  if ((group >= 0x4 && group <= 0x7) || group === 0x9) {
    const alphabet = (dcs >> 2) & 0x3;
    return alphabet === 2 ? 'ucs2' : alphabet === 1 ? '8bit' : 'gsm7';
  }
  if (group === 0xf) return (dcs & 0x04) === 0 ? 'gsm7' : '8bit';
  return 'gsm7';
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/** Share of characters a person would write in a reply: letters, digits, spaces, punctuation. */
function readability(text: string): number {
  if (text.length === 0) return 0;
  const readable = text.match(/[\p{L}\p{N} .,:;!?+\-*#()/%'"\n\r₽$€=]/gu)?.length ?? 0;
  return readable / text.length;
}

/** Packed GSM 7-bit: floor(8n/7) septets; a trailing 0 or CR is padding (TS 23.038 §6.1.2.3.1). */
export function decodePackedGsm7(bytes: Uint8Array): string {
  const count = Math.floor((bytes.length * 8) / 7);
  return decodeGsm7(bytes, 0, 0, count).replace(/[@\r]$/, '');
}

/** One septet per octet, every octet below 0x80. */
function decodeUnpackedGsm7(bytes: Uint8Array): string | null {
  return bytes.some((b) => b > 0x7f) ? null : septetsToText(bytes);
}

function decodeGsm7Form(text: string): string {
  // Digits only (a number, a balance) is text, never hex: no operator sends such a packed reply.
  if (!HEX.test(text) || /^\d+$/.test(text)) return text;
  const bytes = hexToBytes(text);
  const candidates = [decodePackedGsm7(bytes), decodeUnpackedGsm7(bytes)].filter(
    (c): c is string => c !== null,
  );
  const best = candidates.reduce((a, b) => (readability(b) > readability(a) ? b : a));
  // Hex that decodes to noise was meant as text (e.g. "ACCEDE" from a menu).
  return readability(best) >= 0.9 ? best : text;
}

/** The text of a `+CUSD` string given its DCS (null when the modem printed none: GSM 7-bit). */
export function decodeUssdText(text: string, dcs: number | null): string {
  switch (ussdAlphabet(dcs)) {
    case 'ucs2': {
      if (!HEX.test(text) || text.length % 4 !== 0) return text;
      const bytes = hexToBytes(text);
      return decodeUcs2(bytes, 0, bytes.length);
    }
    case '8bit':
      return HEX.test(text) ? Buffer.from(text, 'hex').toString('latin1') : text;
    case 'gsm7':
      return decodeGsm7Form(text);
  }
}
