/**
 * National language shift tables of 3GPP TS 23.038 §6.2.1.2 and Annex A: the locking shift
 * tables (Annex A.3, selected by UDH IE 0x25) replace the default alphabet for the whole
 * message; the single shift tables (Annex A.2, IE 0x24) replace the extension table reached
 * through the escape 0x1B (TS 23.040 §9.2.3.24.15 / .16).
 */
import { LOCKING_SHIFT_TABLES } from './national/locking-shift-tables.js';
import { SINGLE_SHIFT_TABLES } from './national/single-shift-tables.js';

/** National language identifiers of TS 23.038 §6.2.1.2.4 that Annex A defines tables for. */
export const NATIONAL_LANGUAGES: Readonly<Record<number, string>> = Object.freeze({
  1: 'Turkish',
  2: 'Spanish',
  3: 'Portuguese',
  4: 'Bengali',
  5: 'Gujarati',
  6: 'Hindi',
  7: 'Kannada',
  8: 'Malayalam',
  9: 'Oriya',
  10: 'Punjabi',
  11: 'Tamil',
  12: 'Telugu',
  13: 'Urdu',
});

/**
 * The Annex A.3 locking shift table for `language`: 128 entries indexed by septet, `''` where
 * undefined and at the escape 0x1B. Null for the default (0), for Spanish (A.3.2 is void) and for
 * identifiers the spec does not define; the caller then keeps the default alphabet
 * (TS 23.038 §6.2.1.2.3).
 */
export function nationalLockingShiftTable(language: number): readonly string[] | null {
  return LOCKING_SHIFT_TABLES.get(language) ?? null;
}

/**
 * The Annex A.2 single shift table for `language`: 128 entries indexed by the septet after the
 * escape, `''` where undefined (0x1B included). Null for 0 and unknown identifiers; the caller
 * then keeps the default extension table (TS 23.038 §6.2.1.2.4).
 */
export function nationalSingleShiftTable(language: number): readonly string[] | null {
  return SINGLE_SHIFT_TABLES.get(language) ?? null;
}
