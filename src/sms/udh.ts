import type { PduReader } from './pdu-reader.js';
import type { ConcatInfo } from './types.js';

/** One information element of a user data header (TS 23.040 §9.2.3.24). */
export interface InformationElement {
  /** IEI, TS 23.040 §9.2.3.24 table. */
  id: number;
  /** Offset of the IE data in the PDU. */
  offset: number;
  data: Uint8Array;
}

/** A parsed TP-UDH: every IE in order, plus the ones the decoder acts on. */
export interface UserDataHeader {
  elements: InformationElement[];
  /** IE 0x00 or 0x08 (the last one wins, TS 23.040 §9.2.3.24); null when absent or ignored. */
  concat: ConcatInfo | null;
  /** IE 0x24 national language single shift (TS 23.040 §9.2.3.24.15); null when absent. */
  singleShiftLanguage: number | null;
  /** IE 0x25 national language locking shift (TS 23.040 §9.2.3.24.16); null when absent. */
  lockingShiftLanguage: number | null;
}

/** IEI of concatenated short messages, 8-bit reference (TS 23.040 §9.2.3.24.1). */
export const IEI_CONCAT_8BIT = 0x00;
/** IEI of concatenated short messages, 16-bit reference (TS 23.040 §9.2.3.24.8). */
export const IEI_CONCAT_16BIT = 0x08;
/** IEI of the national language single shift (TS 23.040 §9.2.3.24.15). */
export const IEI_SINGLE_SHIFT = 0x24;
/** IEI of the national language locking shift (TS 23.040 §9.2.3.24.16). */
export const IEI_LOCKING_SHIFT = 0x25;

/** Fixed data lengths of the IEs acted on; another length means the header is corrupt. */
const FIXED_LENGTHS: ReadonlyMap<number, number> = new Map([
  [IEI_CONCAT_8BIT, 3],
  [IEI_CONCAT_16BIT, 4],
  [IEI_SINGLE_SHIFT, 1],
  [IEI_LOCKING_SHIFT, 1],
]);

/**
 * A concatenation IE with total 0, sequence 0 or sequence above total is ignored as a whole, as
 * TS 23.040 §9.2.3.24.1 tells receivers to do; the part is then handled as a single message.
 */
function concatOf(reference: number, total: number, sequence: number, bits: 8 | 16): ConcatInfo | null {
  if (total === 0 || sequence === 0 || sequence > total) return null;
  return { reference, total, sequence, referenceBits: bits };
}

/**
 * Parses the IEs of a user data header (TS 23.040 §9.2.3.24) found at `bytes[start, start+length)`,
 * i.e. after the UDHL octet. Unknown IEs are kept in `elements` and otherwise skipped. An IE whose
 * length runs past the header, or a known IE with a wrong length, makes the header corrupt: the
 * spec would drop the whole header, but a part read without its header would be passed on as a
 * whole message, so this decoder reports `SMS_PDU_INVALID` (at the IE's offset) instead.
 */
export function parseUserDataHeader(reader: PduReader, start: number, length: number): UserDataHeader {
  const bytes = reader.bytes;
  const end = start + length;
  const header: UserDataHeader = {
    elements: [],
    concat: null,
    singleShiftLanguage: null,
    lockingShiftLanguage: null,
  };
  let at = start;
  while (at < end) {
    if (at + 2 > end) throw reader.invalid('UDH ends inside an information element header', at);
    const id = bytes[at] ?? 0;
    const size = bytes[at + 1] ?? 0;
    const dataStart = at + 2;
    if (dataStart + size > end)
      throw reader.invalid(`UDH IE 0x${id.toString(16)} length ${size} runs past the header`, at);
    const expected = FIXED_LENGTHS.get(id);
    if (expected !== undefined && expected !== size) {
      throw reader.invalid(`UDH IE 0x${id.toString(16)} has length ${size}, expected ${expected}`, at);
    }
    const data = bytes.subarray(dataStart, dataStart + size);
    header.elements.push({ id, offset: dataStart, data });
    applyElement(header, id, data);
    at = dataStart + size;
  }
  return header;
}

function applyElement(header: UserDataHeader, id: number, data: Uint8Array): void {
  const [a = 0, b = 0, c = 0, d = 0] = data;
  switch (id) {
    case IEI_CONCAT_8BIT:
      header.concat = concatOf(a, b, c, 8);
      return;
    case IEI_CONCAT_16BIT:
      header.concat = concatOf((a << 8) | b, c, d, 16);
      return;
    case IEI_SINGLE_SHIFT:
      header.singleShiftLanguage = a;
      return;
    case IEI_LOCKING_SHIFT:
      header.lockingShiftLanguage = a;
      return;
    default:
      return;
  }
}
