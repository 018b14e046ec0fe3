import { afterPrefix, parseRangeList, splitGroups } from './fields.js';

/** How new messages reach us under the chosen `+CNMI` setting. */
export type DeliveryMode = 'stored' | 'direct';

export interface CnmiChoice {
  /** The set command, e.g. `AT+CNMI=2,1,0,0,0`. */
  command: string;
  /** `stored`: mt=1, message kept in storage and announced with `+CMTI`. `direct`: mt=2, `+CMT`. */
  delivery: DeliveryMode;
}

function pick(
  allowed: Set<number> | undefined,
  preference: readonly number[],
  fallback: number,
): number | null {
  if (allowed === undefined || allowed.size === 0) return fallback;
  for (const value of preference) if (allowed.has(value)) return value;
  return null;
}

/**
 * Chooses new-message indication settings from the `AT+CNMI=?` answer (TS 27.005 §3.4.1), the
 * way gammu does: mode 2 (buffer in the TA while the link is busy) over 1 over 3; mt 1 (store
 * and send `+CMTI`) preferred so the SIM stays a buffer, else mt 2 (`+CMT`, needs `+CNMA` under
 * `AT+CSMS=1`); bm 0; ds 0 (status reports are stored and found by the sweep); bfr 0.
 * Returns null when the modem offers neither mt 1 nor mt 2.
 */
export function chooseCnmi(lines: readonly string[]): CnmiChoice | null {
  const line = lines.find((l) => afterPrefix(l, '+CNMI:') !== null);
  if (line === undefined) return null;
  const groups = splitGroups(afterPrefix(line, '+CNMI:') ?? '').map(parseRangeList);
  const mode = pick(groups[0], [2, 1, 3], 2);
  const mt = pick(groups[1], [1, 2], 1);
  if (mode === null || mt === null) return null;
  const zeroOrFirst = (allowed: Set<number> | undefined): number | null =>
    allowed === undefined ? null : allowed.has(0) || allowed.size === 0 ? 0 : Math.min(...allowed);
  const rest = [zeroOrFirst(groups[2]), zeroOrFirst(groups[3]), zeroOrFirst(groups[4])];
  const params = [mode, mt];
  for (const value of rest) {
    if (value === null) break;
    params.push(value);
  }
  return { command: `AT+CNMI=${params.join(',')}`, delivery: mt === 1 ? 'stored' : 'direct' };
}
