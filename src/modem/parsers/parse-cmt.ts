import { afterPrefix, splitFields, toInt } from './fields.js';

/** Header of a directly delivered message (TS 27.005 §3.4.1 `+CMT`, PDU mode). */
export interface CmtHeader {
  alpha: string | null;
  length: number;
}

/**
 * Parses the PDU-mode header `+CMT: [<alpha>],<length>`; the PDU follows on the next line.
 * Returns null for a text-mode header (`+CMT: "<oa>",[<alpha>],"<scts>"…`), which has no
 * numeric length in last place.
 */
export function parseCmtHeader(line: string): CmtHeader | null {
  const body = afterPrefix(line, '+CMT:');
  if (body === null) return null;
  const fields = splitFields(body);
  const last = fields[fields.length - 1];
  const length = last && !last.quoted ? toInt(last.value) : null;
  if (length === null || fields.length > 2) return null;
  const alpha = fields.length === 2 && fields[0] && fields[0].value !== '' ? fields[0].value : null;
  return { alpha, length };
}

/** True when the line starts a `+CMT:` URC of either mode. */
export function isCmtLine(line: string): boolean {
  return afterPrefix(line, '+CMT:') !== null;
}
