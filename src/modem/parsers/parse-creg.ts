import { afterPrefix, splitFields, toInt } from './fields.js';

/** Which registration the line reports: CS (+CREG), GPRS (+CGREG) or EPS (+CEREG). */
export type RegistrationDomain = 'CREG' | 'CGREG' | 'CEREG';

/** Network registration, TS 27.007 §7.2 (+CREG), §10.1.20 (+CGREG), §10.1.22 (+CEREG). */
export interface Registration {
  domain: RegistrationDomain;
  /** 0 not registered, 1 home, 2 searching, 3 denied, 4 unknown, 5 roaming, … */
  stat: number;
  /** True for stat 1 (home) or 5 (roaming). */
  registered: boolean;
  lac: string | null;
  cellId: string | null;
  accessTechnology: number | null;
}

/**
 * Parses a registration line. `query` is the `AT+CREG?` answer `+CREG: <n>,<stat>[,<lac>,<ci>…]`;
 * `urc` is the unsolicited `+CREG: <stat>[,<lac>,<ci>…]`, which lacks `<n>`.
 */
export function parseRegistration(line: string, form: 'query' | 'urc'): Registration | null {
  for (const domain of ['CREG', 'CGREG', 'CEREG'] as const) {
    const body = afterPrefix(line, `+${domain}:`);
    if (body === null) continue;
    const fields = splitFields(body);
    const offset = form === 'query' ? 1 : 0;
    const stat = toInt(fields[offset]?.value);
    if (stat === null) return null;
    // +CEREG puts <tac> where +CREG puts <lac>; both are hex strings.
    const lac = fields[offset + 1]?.value || null;
    const cellId = fields[offset + 2]?.value || null;
    return {
      domain,
      stat,
      registered: stat === 1 || stat === 5,
      lac,
      cellId,
      accessTechnology: toInt(fields[offset + 3]?.value),
    };
  }
  return null;
}

/** Finds the first registration line in a query answer. */
export function parseRegistrationQuery(lines: readonly string[]): Registration | null {
  for (const line of lines) {
    const parsed = parseRegistration(line, 'query');
    if (parsed) return parsed;
  }
  return null;
}
