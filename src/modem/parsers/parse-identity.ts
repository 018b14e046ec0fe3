/**
 * Parsers for the identification commands of TS 27.007 §5: +CGMI/+CGMM/+CGMR (free text,
 * prefixed or not), +CGSN (IMEI, prefixed on some firmware) and +CIMI (bare IMSI digits).
 */

function stripPrefix(line: string, prefixes: readonly string[]): string {
  const trimmed = line.trim();
  for (const prefix of prefixes) {
    if (trimmed.toUpperCase().startsWith(prefix)) return trimmed.slice(prefix.length).trim();
  }
  return trimmed;
}

/** Free-text identity (+CGMI/+CGMM/+CGMR, also the legacy +GMI/+GMM/+GMR forms). */
export function parseInfoText(lines: readonly string[], command: 'CGMI' | 'CGMM' | 'CGMR'): string | null {
  const short = command.slice(1);
  const text = lines
    .map((line) => stripPrefix(line, [`+${command}:`, `+${short}:`]).replace(/^"|"$/g, ''))
    .filter((line) => line !== '')
    .join(' ')
    .trim();
  return text === '' ? null : text;
}

/** IMEI from `AT+CGSN`: `+CGSN: "490154203237518"` or bare digits (14-17). */
export function parseImei(lines: readonly string[]): string | null {
  for (const line of lines) {
    const value = stripPrefix(line, ['+CGSN:', '+GSN:']).replace(/"/g, '');
    if (/^\d{14,17}$/.test(value)) return value;
  }
  return null;
}

/** IMSI from `AT+CIMI`: bare digits (6-15), sometimes prefixed `+CIMI:`. */
export function parseImsi(lines: readonly string[]): string | null {
  for (const line of lines) {
    const value = stripPrefix(line, ['+CIMI:']).replace(/"/g, '');
    if (/^\d{6,15}$/.test(value)) return value;
  }
  return null;
}

/**
 * The SIM's own number from `AT+CNUM` (TS 27.007 §7.1): `+CNUM: [<alpha>],<number>,<type>`, one
 * line per stored number. Digits only (the `+` of type 145 dropped); null when the SIM stores
 * none (an `OK` with no line, as on most prepaid SIMs) or only an empty number.
 */
export function parseCnum(lines: readonly string[]): string | null {
  for (const line of lines) {
    const match = /^\+CNUM:\s*(?:"[^"]*"|[^,]*),\s*"?\+?(\d{7,15})"?/.exec(line.trim());
    if (match?.[1]) return match[1];
  }
  return null;
}
