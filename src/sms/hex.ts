import { SmsDecodeError } from './decode-error.js';

/** Nibble value per char code, -1 for anything that is not a hex digit (both cases accepted). */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i += 1) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i += 1) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).toUpperCase().padStart(2, '0'),
);

/**
 * Parses a PDU written as hex digits (upper or lower case, as `AT+CMGR`/`AT+CMGL` print it,
 * TS 27.005 §3.1 `<pdu>`) into octets. No whitespace is accepted: callers trim lines first.
 *
 * @throws SmsDecodeError `SMS_PDU_INVALID_HEX` for an odd length or a non-hex character; the
 *   offset is the byte index the bad character belongs to.
 */
export function hexToBytes(hex: string): Uint8Array {
  const length = hex.length;
  if (length % 2 !== 0) {
    throw new SmsDecodeError('SMS_PDU_INVALID_HEX', `odd number of hex digits (${length})`, length >> 1);
  }
  const bytes = new Uint8Array(length >> 1);
  for (let i = 0; i < length; i += 2) {
    const high = NIBBLE[hex.charCodeAt(i)] ?? -1;
    const low = NIBBLE[hex.charCodeAt(i + 1)] ?? -1;
    if (high < 0 || low < 0) {
      const bad = high < 0 ? i : i + 1;
      const shown = JSON.stringify(hex.charAt(bad));
      throw new SmsDecodeError(
        'SMS_PDU_INVALID_HEX',
        `not a hex digit: ${shown} at character ${bad}`,
        i >> 1,
      );
    }
    bytes[i >> 1] = (high << 4) | low;
  }
  return bytes;
}

/** Uppercase hex of `bytes[start, end)`, two digits per octet. */
export function bytesToHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i += 1) out += HEX_PAIRS[bytes[i] ?? 0];
  return out;
}
