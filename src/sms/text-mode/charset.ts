/**
 * Text-mode character sets (`AT+CSCS`, TS 27.007 §5.5) for message bodies and address strings.
 *
 * - `UCS2`: every character is four hex digits of a UTF-16BE code unit; pairs of surrogates
 *   join into one character (emoji).
 * - `GSM`: the modem prints the GSM 7-bit text through the serial line. The bytes a modem uses
 *   for characters outside ASCII differ between firmwares, and the line reader has already made
 *   text of them, so the body is kept as printed.
 * - `IRA`: ITU-T T.50 (ASCII); taken as printed.
 */
import { TextModeError } from './text-mode-error.js';

export type TextModeCharset = 'GSM' | 'IRA' | 'UCS2';

const HEX_QUADS = /^(?:[0-9A-Fa-f]{4})*$/;

/**
 * Decodes UCS2 hex (UTF-16BE) to text. A lone surrogate is kept as the replacement character
 * U+FFFD rather than failing, so a body cut by the modem still yields the rest.
 *
 * @throws TextModeError `SMS_TEXT_INVALID` when the input is not a multiple of 4 hex digits.
 */
export function decodeUcs2Hex(hex: string, offset = 0): string {
  if (!HEX_QUADS.test(hex)) {
    throw new TextModeError('SMS_TEXT_INVALID', 'UCS2 text must be hex digits in groups of 4', offset);
  }
  const units: number[] = [];
  for (let i = 0; i < hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
  let out = '';
  for (let i = 0; i < units.length; i += 1) {
    const unit = units[i] ?? 0;
    const next = units[i + 1] ?? 0;
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += String.fromCharCode(unit, next);
      i += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out += '\ufffd';
    } else {
      out += String.fromCharCode(unit);
    }
  }
  return out;
}

/** Decodes a message body read in `charset`. */
export function decodeTextModeBody(body: string, charset: TextModeCharset, offset = 0): string {
  return charset === 'UCS2' ? decodeUcs2Hex(body, offset) : body;
}

/**
 * Decodes an address or alpha string read in `charset`. Under `UCS2` modems print these as hex
 * too, but some firmware prints a number as plain digits. Digits only are taken as hex only when
 * every group of four starts with `00` (UCS2 of an ASCII character); `79161234` stays a number.
 */
export function decodeTextModeAddress(value: string, charset: TextModeCharset): string {
  if (charset !== 'UCS2' || value === '' || !HEX_QUADS.test(value)) return value;
  const hasHexLetter = /[A-Fa-f]/.test(value);
  const asciiQuads = /^(?:00[0-9A-Fa-f]{2})+$/.test(value);
  return hasHexLetter || asciiQuads ? decodeUcs2Hex(value) : value;
}
