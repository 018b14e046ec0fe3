import { DEFAULT_GSM7_TABLES, type Gsm7Tables } from './gsm7.js';
import { nationalLockingShiftTable, nationalSingleShiftTable } from './gsm7-national.js';
import { GSM7_DEFAULT_TABLE, GSM7_EXTENSION_TABLE } from './gsm7-tables.js';

/**
 * Source of the national language shift tables (TS 23.038 §6.2.1.2.3/§6.2.1.2.4, Annex A):
 * 128 entries each, `''` where a code has no character, null when the language has no such table.
 */
export interface NationalShiftTables {
  lockingShift(language: number): readonly string[] | null;
  singleShift(language: number): readonly string[] | null;
}

/** A source with no national tables: every language falls back to the default alphabet. */
export const NO_NATIONAL_TABLES: NationalShiftTables = {
  lockingShift: () => null,
  singleShift: () => null,
};

/** The TS 23.038 Annex A tables shipped with the codec; the decoders use them by default. */
export const DEFAULT_NATIONAL_TABLES: NationalShiftTables = {
  lockingShift: nationalLockingShiftTable,
  singleShift: nationalSingleShiftTable,
};

const cache = new WeakMap<NationalShiftTables, Map<number, Gsm7Tables>>();

/** Fills the gaps of a national locking table with the default alphabet, so no code reads as ''. */
function completeLocking(table: readonly string[] | null): readonly string[] {
  if (table === null) return GSM7_DEFAULT_TABLE;
  return GSM7_DEFAULT_TABLE.map((char, code) => table[code] || char);
}

/**
 * The tables to read a GSM 7-bit text with, given the languages of UDH IEs 0x25 (locking) and
 * 0x24 (single shift), 0 or null meaning none. A language without a table falls back to the
 * default alphabet or extension table (TS 23.038 §6.2.1.2.4: a receiver that does not support the
 * language uses the default). Results are cached per source and language pair.
 */
export function resolveGsm7Tables(source: NationalShiftTables, locking: number, single: number): Gsm7Tables {
  if (locking === 0 && single === 0) return DEFAULT_GSM7_TABLES;
  let bySource = cache.get(source);
  if (bySource === undefined) {
    bySource = new Map();
    cache.set(source, bySource);
  }
  const key = (locking << 8) | single;
  const cached = bySource.get(key);
  if (cached !== undefined) return cached;
  const lockingTable = locking === 0 ? null : source.lockingShift(locking);
  const singleTable = single === 0 ? null : source.singleShift(single);
  const tables: Gsm7Tables = {
    locking: completeLocking(lockingTable),
    shift: singleTable ?? GSM7_EXTENSION_TABLE,
  };
  bySource.set(key, tables);
  return tables;
}

/** Which national tables were actually applied (0 = default), for `SmsDeliver` fields. */
export function appliedLanguages(
  source: NationalShiftTables,
  locking: number,
  single: number,
): { lockingShiftLanguage: number; singleShiftLanguage: number } {
  return {
    lockingShiftLanguage: locking !== 0 && source.lockingShift(locking) !== null ? locking : 0,
    singleShiftLanguage: single !== 0 && source.singleShift(single) !== null ? single : 0,
  };
}
