import { GSM7_DEFAULT_TABLE, GSM7_ESCAPE, GSM7_EXTENSION_TABLE } from './gsm7-tables.js';

/**
 * The two tables a GSM 7-bit text is read with: the locking table (the default alphabet, or a
 * national locking shift table, TS 23.038 §6.2.1.2.3) and the table reached through the escape
 * 0x1B (the default extension table, or a national single shift table, §6.2.1.2.4).
 */
export interface Gsm7Tables {
  readonly locking: readonly string[];
  readonly shift: readonly string[];
}

/** The default alphabet with its extension table, TS 23.038 §6.2.1 / §6.2.1.1. */
export const DEFAULT_GSM7_TABLES: Gsm7Tables = { locking: GSM7_DEFAULT_TABLE, shift: GSM7_EXTENSION_TABLE };

/**
 * Unpacks `count` septets packed LSB-first (TS 23.038 §6.1.2.1.1) starting `startBit` bits into
 * `bytes[from...]`. Fill bits before the first septet (after a UDH, TS 23.040 §9.2.3.24) are
 * skipped by passing the header length in bits rounded up to a septet boundary. The caller
 * guarantees `ceil((startBit + 7 * count) / 8)` octets exist from `from`; missing octets read 0.
 */
export function unpackSeptets(bytes: Uint8Array, from: number, startBit: number, count: number): Uint8Array {
  const septets = new Uint8Array(count);
  let bit = startBit;
  for (let i = 0; i < count; i += 1) {
    const index = from + (bit >> 3);
    const shift = bit & 7;
    let value = (bytes[index] ?? 0) >> shift;
    if (shift > 1) value |= (bytes[index + 1] ?? 0) << (8 - shift);
    septets[i] = value & 0x7f;
    bit += 7;
  }
  return septets;
}

/**
 * Maps septets to text, TS 23.038 §6.2.1. An escape (0x1B) plus the next septet is one
 * character from `tables.shift`. Where the spec leaves a gap it is filled as TS 23.038 says:
 * - escape + a code the shift table does not define: the character of the locking table for
 *   that code (§6.2.1.1, "display the character shown in the main default alphabet table");
 * - escape + escape (reserved for a further extension table): a space, then decoding goes on
 *   with the septet after both (§6.2.1.1, "display a space until another extension table is
 *   defined");
 * - an escape as the last septet (nothing to extend): a space, for the same reason.
 */
export function septetsToText(septets: Uint8Array, tables: Gsm7Tables = DEFAULT_GSM7_TABLES): string {
  const { locking, shift } = tables;
  let text = '';
  const count = septets.length;
  for (let i = 0; i < count; i += 1) {
    const code = septets[i] ?? 0;
    if (code !== GSM7_ESCAPE) {
      text += locking[code] ?? '';
      continue;
    }
    i += 1;
    const next = septets[i];
    if (next === undefined || next === GSM7_ESCAPE) {
      text += ' ';
      continue;
    }
    text += shift[next] || locking[next] || '';
  }
  return text;
}

/** Septet `index` of a packed stream starting `startBit` bits into `bytes[from...]`. */
function septetAt(bytes: Uint8Array, from: number, startBit: number, index: number): number {
  const bit = startBit + index * 7;
  const at = from + (bit >> 3);
  const shift = bit & 7;
  let value = (bytes[at] ?? 0) >> shift;
  if (shift > 1) value |= (bytes[at + 1] ?? 0) << (8 - shift);
  return value & 0x7f;
}

/**
 * Unpacks and maps `count` septets in one pass, with the same rules as {@link unpackSeptets}
 * and {@link septetsToText} but without an intermediate array (this is the decoder's hot path).
 */
export function decodeGsm7(
  bytes: Uint8Array,
  from: number,
  startBit: number,
  count: number,
  tables: Gsm7Tables = DEFAULT_GSM7_TABLES,
): string {
  const { locking, shift } = tables;
  let text = '';
  for (let i = 0; i < count; i += 1) {
    const code = septetAt(bytes, from, startBit, i);
    if (code !== GSM7_ESCAPE) {
      text += locking[code] ?? '';
      continue;
    }
    i += 1;
    const next = i < count ? septetAt(bytes, from, startBit, i) : GSM7_ESCAPE;
    text += next === GSM7_ESCAPE ? ' ' : shift[next] || locking[next] || '';
  }
  return text;
}
