import { afterPrefix, splitFields, splitGroups, toInt } from './fields.js';

/** Fill of one message storage (TS 27.005 §3.2.2 `<usedx>,<totalx>`). */
export interface StorageFill {
  /** `"SM"`, `"ME"`, `"MT"`, …; null in the set-command answer, which omits the names. */
  storage: string | null;
  used: number;
  total: number;
}

/**
 * Parses the `+CPMS:` answer to `AT+CPMS?` (`+CPMS: "SM",3,30,"SM",3,30,"SM",3,30`) or to
 * `AT+CPMS=…` (`+CPMS: 3,30,3,30,3,30`), TS 27.005 §3.2.2. Returns mem1, mem2, mem3 in order
 * (fewer when the modem prints fewer); null when the line is not a `+CPMS:` fill answer.
 */
export function parseCpmsFill(lines: readonly string[]): StorageFill[] | null {
  for (const line of lines) {
    const body = afterPrefix(line, '+CPMS:');
    if (body === null || body.startsWith('(')) continue;
    const fields = splitFields(body);
    const named = fields[0]?.quoted === true || (fields[0] !== undefined && toInt(fields[0].value) === null);
    const stride = named ? 3 : 2;
    const fills: StorageFill[] = [];
    for (let i = 0; i + stride - 1 < fields.length; i += stride) {
      const storage = named ? (fields[i]?.value ?? null) : null;
      const used = toInt(fields[i + stride - 2]?.value);
      const total = toInt(fields[i + stride - 1]?.value);
      if (used === null || total === null) return null;
      fills.push({ storage, used, total });
    }
    return fills.length > 0 ? fills : null;
  }
  return null;
}

/**
 * Parses the `AT+CPMS=?` answer `+CPMS: ("SM","ME"),("SM","ME"),("SM")` into the storages
 * allowed for mem1, mem2 and mem3 (TS 27.005 §3.2.2).
 */
export function parseCpmsSupport(lines: readonly string[]): string[][] | null {
  for (const line of lines) {
    const body = afterPrefix(line, '+CPMS:');
    if (body === null || !body.startsWith('(')) continue;
    return splitGroups(body).map((group) =>
      splitFields(group.replace(/^\(/, '').replace(/\)$/, ''))
        .map((field) => field.value.toUpperCase())
        .filter((value) => value !== ''),
    );
  }
  return null;
}

/** True when every listed storage is full: new messages would be refused (`+CMS ERROR: 322`). */
export function isStorageFull(fill: StorageFill | undefined): boolean {
  return fill !== undefined && fill.total > 0 && fill.used >= fill.total;
}
