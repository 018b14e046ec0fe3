import { afterPrefix, splitFields, toInt } from './fields.js';

/** Current operator, TS 27.007 §7.3 `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`. */
export interface OperatorSelection {
  mode: number;
  /** 0 long alphanumeric, 1 short alphanumeric, 2 numeric. */
  format: number | null;
  operator: string | null;
  accessTechnology: number | null;
}

/** Parses the `AT+COPS?` answer; `operator` is null when not registered (`+COPS: 0`). */
export function parseCops(lines: readonly string[]): OperatorSelection | null {
  for (const line of lines) {
    const body = afterPrefix(line, '+COPS:');
    if (body === null || body.startsWith('(')) continue;
    const fields = splitFields(body);
    const mode = toInt(fields[0]?.value);
    if (mode === null) return null;
    const operator = fields[2]?.value.trim() || null;
    return { mode, format: toInt(fields[1]?.value), operator, accessTechnology: toInt(fields[3]?.value) };
  }
  return null;
}
