import { afterPrefix, splitFields, toInt } from './fields.js';

/** A new-message indication: where the message was stored (TS 27.005 §3.4.1 `+CMTI`). */
export interface CmtiIndication {
  storage: string;
  index: number;
}

/** Parses `+CMTI: "SM",3` (also `"ME"`, `"MT"`, unquoted names); null for anything else. */
export function parseCmti(line: string): CmtiIndication | null {
  const body = afterPrefix(line, '+CMTI:');
  if (body === null) return null;
  const fields = splitFields(body);
  const index = toInt(fields[1]?.value);
  const storage = fields[0]?.value.toUpperCase() ?? '';
  if (index === null || index < 0 || storage === '') return null;
  return { storage, index };
}
