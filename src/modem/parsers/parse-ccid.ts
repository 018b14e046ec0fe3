import { normalizeIccid } from '../../config/iccid.js';

/** Prefixes under which modems print the SIM serial number (EF_ICCID, TS 102 221 §13.2). */
const CCID_PREFIXES = ['+CCID:', '+ICCID:', '^ICCID:', '+QCCID:', '+ZGETICCID:', 'ICCID:', '+CRSM:'];

/**
 * Extracts the ICCID from the answer to `AT+CCID`, `AT+ICCID`, `AT^ICCID?`, `AT+QCCID` or a
 * bare-digits answer. The trailing `F` filler (one nibble, or the "FF" some firmware prints) is
 * dropped by the project's one ICCID normaliser, so the key matches the config's.
 *
 * Some Huawei firmware prints `^ICCID:` with each digit pair swapped, i.e. the raw BCD of
 * EF_ICCID (`98...` instead of `89...`). Every ICCID starts with the telecom industry
 * identifier 89 (ITU-T E.118), so a `98`-prefixed value is swapped back; in that raw order the
 * filler of a 19-digit ICCID is the last byte's high nibble (`...F3`). Returns null when no
 * 18-22 digit serial is found.
 */
export function parseIccid(lines: readonly string[]): string | null {
  for (const raw of lines) {
    let text = raw.trim();
    for (const prefix of CCID_PREFIXES) {
      if (text.toUpperCase().startsWith(prefix)) {
        text = text.slice(prefix.length).trim();
        break;
      }
    }
    text = text.replace(/"/g, '').split(',').pop()?.trim() ?? '';
    if (!/^[0-9]{17,22}[0-9Ff]{0,2}$/.test(text)) continue;
    let iccid = text.toUpperCase();
    if (iccid.startsWith('98')) iccid = swapNibbles(iccid);
    iccid = normalizeIccid(iccid);
    if (/^[0-9]{18,22}$/.test(iccid)) return iccid;
  }
  return null;
}

/** Swaps each digit pair: the BCD order in which EF_ICCID is stored on the card. */
export function swapNibbles(digits: string): string {
  let out = '';
  for (let i = 0; i + 1 < digits.length; i += 2) out += `${digits[i + 1]}${digits[i]}`;
  if (digits.length % 2 === 1) out += digits[digits.length - 1];
  return out;
}
