import { afterPrefix, splitFields, toInt } from './fields.js';

/** One message read with `AT+CMGR=<index>` in PDU mode (TS 27.005 §3.4.3, §4.1). */
export interface CmgrMessage {
  /** Null when the modem omits `<stat>` (seen on ZTE firmware, per python-gsmmodem). */
  status: number | null;
  alpha: string | null;
  length: number;
  pdu: string;
}

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * Parses `+CMGR: <stat>,[<alpha>],<length>` and its PDU line. Returns null when the slot is
 * empty: no `+CMGR:` line, a `+CMGR: 0,,0` header, or an `EMPTY`/blank/non-hex PDU line.
 */
export function parseCmgrPdu(lines: readonly string[]): CmgrMessage | null {
  const headerAt = lines.findIndex((line) => afterPrefix(line, '+CMGR:') !== null);
  if (headerAt < 0) return null;
  const fields = splitFields(afterPrefix(lines[headerAt] ?? '', '+CMGR:') ?? '');
  const length = toInt(fields[fields.length - 1]?.value) ?? 0;
  const status = fields.length >= 2 ? toInt(fields[0]?.value) : null;
  const alphaField = fields.length >= 3 ? fields[1] : undefined;
  const alpha = alphaField && alphaField.value !== '' ? alphaField.value : null;
  const pdu = (lines[headerAt + 1] ?? '').trim();
  if (length === 0 || pdu === '' || !HEX.test(pdu)) return null;
  return { status, alpha, length, pdu: pdu.toUpperCase() };
}
