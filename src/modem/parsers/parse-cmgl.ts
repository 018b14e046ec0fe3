import { afterPrefix, splitFields, toInt } from './fields.js';

/** One stored message listed by `AT+CMGL` in PDU mode (TS 27.005 §3.4.2, §4.1). */
export interface CmglEntry {
  index: number;
  /** 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
  status: number;
  alpha: string | null;
  /** TPDU length in octets (SMSC field excluded), as the modem declares it. */
  length: number;
  /** Hex as printed, SMSC field included. */
  pdu: string;
}

/** A listed index whose PDU could not be taken (missing line, `EMPTY`, not hex). */
export interface CmglSkipped {
  index: number;
  reason: 'missing-pdu' | 'empty' | 'not-hex' | 'unreadable';
  line: string | null;
}

export interface CmglListing {
  entries: CmglEntry[];
  skipped: CmglSkipped[];
}

const HEX = /^[0-9A-Fa-f]+$/;

/**
 * Parses a PDU-mode `AT+CMGL=4` answer: `+CMGL: <index>,<stat>,[<alpha>],<length>` each followed
 * by one PDU line. A header without a usable PDU line (Huawei E3531 listed parts it then read
 * back as `EMPTY`, gammu #522) is reported in `skipped` and never costs its neighbours.
 */
export function parseCmglPdu(lines: readonly string[]): CmglListing {
  const listing: CmglListing = { entries: [], skipped: [] };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const body = afterPrefix(line, '+CMGL:');
    i += 1;
    if (body === null) continue;
    const fields = splitFields(body);
    const index = toInt(fields[0]?.value);
    if (index === null) continue;
    const status = toInt(fields[1]?.value) ?? 0;
    const alphaField = fields.length >= 4 ? fields[2] : undefined;
    const alpha = alphaField && alphaField.value !== '' ? alphaField.value : null;
    const length = toInt(fields[fields.length - 1]?.value) ?? 0;
    const next = lines[i];
    if (next === undefined || afterPrefix(next, '+CMGL:') !== null) {
      listing.skipped.push({ index, reason: 'missing-pdu', line: null });
      continue;
    }
    i += 1;
    const pdu = next.trim();
    if (pdu === '' || pdu.toUpperCase() === 'EMPTY') {
      listing.skipped.push({ index, reason: 'empty', line: next });
    } else if (!HEX.test(pdu)) {
      listing.skipped.push({ index, reason: 'not-hex', line: next });
    } else {
      listing.entries.push({ index, status, alpha, length, pdu: pdu.toUpperCase() });
    }
  }
  return listing;
}
