import { describe, expect, it } from 'vitest';
import {
  NATIONAL_LANGUAGES,
  nationalLockingShiftTable,
  nationalSingleShiftTable,
} from '../../src/sms/gsm7-national.js';

// Defined (non-empty) positions per table, counted on TS 23.038 Annex A (Rel-18 transcription)
// and on the AOSP GsmAlphabet tables; both agree after the corrections documented in the data files.
const DEFINED_COUNTS: ReadonlyArray<readonly [number, number | null, number]> = [
  // [language, locking count (null = no table), single shift count]
  [1, 127, 17],
  [2, null, 19],
  [3, 127, 37],
  [4, 114, 82],
  [5, 120, 70],
  [6, 127, 88],
  [7, 120, 73],
  [8, 120, 82],
  [9, 116, 75],
  [10, 110, 76],
  [11, 102, 77],
  [12, 120, 78],
  [13, 127, 90],
];

function defined(table: readonly string[] | null): number {
  return table === null ? -1 : table.filter((entry) => entry !== '').length;
}

describe('national language tables: shape', () => {
  it('names all 13 Annex A languages', () => {
    expect(Object.keys(NATIONAL_LANGUAGES).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(NATIONAL_LANGUAGES[1]).toBe('Turkish');
    expect(NATIONAL_LANGUAGES[13]).toBe('Urdu');
  });

  it.each(DEFINED_COUNTS)('language %i has %s locking / %i single shift positions', (lang, lock, single) => {
    const locking = nationalLockingShiftTable(lang);
    const shift = nationalSingleShiftTable(lang);
    if (lock === null) expect(locking).toBeNull();
    else {
      expect(locking).toHaveLength(128);
      expect(defined(locking)).toBe(lock);
      expect(locking?.[0x1b]).toBe('');
    }
    expect(shift).toHaveLength(128);
    expect(defined(shift)).toBe(single);
    expect(shift?.[0x1b]).toBe('');
    // Every entry is one character or empty.
    for (const entry of [...(locking ?? []), ...(shift ?? [])]) expect(entry.length).toBeLessThanOrEqual(1);
  });

  it.each([0, 14, 15, -1, 1.5, Number.NaN])('returns null for language %s', (lang) => {
    expect(nationalLockingShiftTable(lang)).toBeNull();
    expect(nationalSingleShiftTable(lang)).toBeNull();
  });

  it('keeps the ASCII letters of the default alphabet in every locking table', () => {
    for (let lang = 1; lang <= 13; lang += 1) {
      const table = nationalLockingShiftTable(lang);
      if (table === null) continue;
      expect(table.slice(0x61, 0x7b).join('')).toBe('abcdefghijklmnopqrstuvwxyz');
      expect(table[0x0a]).toBe('\n');
      expect(table[0x0d]).toBe('\r');
      expect(table[0x20]).toBe(' ');
    }
  });

  it('keeps the default extension characters in every single shift table', () => {
    for (let lang = 1; lang <= 13; lang += 1) {
      const table = nationalSingleShiftTable(lang);
      expect(table?.[0x0a]).toBe('\f');
      expect(table?.[0x14]).toBe('^');
      expect(table?.[0x28]).toBe('{');
      expect(table?.[0x29]).toBe('}');
      expect(table?.[0x2f]).toBe('\\');
      expect(table?.[0x3c]).toBe('[');
      expect(table?.[0x3d]).toBe('~');
      expect(table?.[0x3e]).toBe(']');
      expect(table?.[0x40]).toBe('|');
      expect(table?.[0x65]).toBe('€');
    }
  });

  it('returns frozen tables', () => {
    expect(Object.isFrozen(nationalLockingShiftTable(1))).toBe(true);
    expect(Object.isFrozen(nationalSingleShiftTable(1))).toBe(true);
  });
});

// Spot checks: [language, kind, septet, code point]. Each value appears in TS 23.038 Annex A
// (as transcribed in Rel-18) and in the AOSP GsmAlphabet tables unless noted.
const SPOT_CHECKS: ReadonlyArray<readonly [number, 'locking' | 'single', number, number]> = [
  [1, 'locking', 0x04, 0x20ac], // A.3.1 EURO SIGN replaces è
  [1, 'locking', 0x07, 0x0131], // ı
  [1, 'locking', 0x0b, 0x011e], // Ğ
  [1, 'locking', 0x40, 0x0130], // İ
  [1, 'locking', 0x60, 0x00e7], // ç
  [1, 'single', 0x47, 0x011e], // A.2.1 Ğ
  [1, 'single', 0x53, 0x015e], // Ş
  [1, 'single', 0x69, 0x0131], // ı
  [2, 'single', 0x09, 0x00e7], // A.2.2 ç
  [2, 'single', 0x41, 0x00c1], // Á
  [2, 'single', 0x6f, 0x00f3], // ó
  [3, 'locking', 0x15, 0x221e], // A.3.3 ∞
  [3, 'locking', 0x60, 0x007e], // ~
  [3, 'locking', 0x7d, 0x0060], // `
  [3, 'single', 0x12, 0x03a6], // A.2.3 Φ
  [3, 'single', 0x7f, 0x00e2], // â
  [4, 'locking', 0x00, 0x0981], // A.3.4 BENGALI SIGN CANDRABINDU
  [4, 'locking', 0x2c, 0x002c], // comma (one Rel-18 transcription shows an apostrophe)
  [4, 'locking', 0x7f, 0x09f1], // BENGALI LETTER RA WITH LOWER DIAGONAL
  [4, 'single', 0x19, 0x09e6], // A.2.4 BENGALI DIGIT ZERO
  [4, 'single', 0x34, 0x09fa], // BENGALI ISSHAR
  [5, 'locking', 0x11, 0x0a91], // A.3.5 GUJARATI VOWEL CANDRA O
  [5, 'locking', 0x60, 0x0ad0], // GUJARATI OM
  [5, 'single', 0x1c, 0x0ae6], // A.2.5 GUJARATI DIGIT ZERO
  [6, 'locking', 0x15, 0x0915], // A.3.6 DEVANAGARI LETTER KA
  [6, 'locking', 0x3c, 0x0929], // DEVANAGARI LETTER NNNA
  [6, 'locking', 0x7f, 0x097f], // DEVANAGARI LETTER BBA
  [6, 'single', 0x19, 0x0964], // A.2.6 DEVANAGARI DANDA
  [6, 'single', 0x3a, 0x0971], // DEVANAGARI SIGN HIGH SPACING DOT
  [7, 'locking', 0x24, 0x0ca1], // A.3.7 DDA: AOSP's correction of the spec's U+0CAA
  [7, 'locking', 0x3d, 0x0caa], // KANNADA LETTER PA
  [7, 'locking', 0x60, 0x0cd5], // KANNADA LENGTH MARK
  [7, 'single', 0x26, 0x0cde], // A.2.7 KANNADA LETTER FA
  [8, 'locking', 0x7f, 0x0d79], // A.3.8 MALAYALAM DATE MARK
  [8, 'single', 0x30, 0x0d7b], // A.2.8 MALAYALAM LETTER CHILLU N
  [9, 'locking', 0x60, 0x0b56], // A.3.9 ORIYA AI LENGTH MARK
  [9, 'single', 0x20, 0x0b6a], // A.2.9 ORIYA DIGIT FOUR (one transcription has a Tamil digit)
  [10, 'locking', 0x60, 0x0a51], // A.3.10 GURMUKHI SIGN UDAAT
  [10, 'locking', 0x09, -1], // undefined position
  [10, 'single', 0x2d, 0x0a75], // A.2.10 GURMUKHI SIGN YAKASH
  [11, 'locking', 0x11, -1], // A.3.11 undefined (U+0B91 is not a Unicode character)
  [11, 'locking', 0x3c, 0x0ba9], // TAMIL LETTER NNNA
  [11, 'locking', 0x7f, 0x0bf9], // TAMIL RUPEE SIGN
  [11, 'single', 0x24, 0x0bee], // A.2.11 TAMIL DIGIT EIGHT (older releases print U+0BEF)
  [11, 'single', 0x25, 0x0bef], // TAMIL DIGIT NINE
  [12, 'locking', 0x11, -1], // A.3.12 undefined (U+0C11 is not a Unicode character)
  [12, 'locking', 0x60, 0x0c55], // TELUGU LENGTH MARK
  [12, 'single', 0x22, 0x0c6c], // A.2.12 TELUGU DIGIT SIX (V9 printed Arabic U+06CC)
  [12, 'single', 0x19, -1], // undefined in Telugu, DANDA in the other Indic tables
  [12, 'single', 0x65, 0x20ac], // euro sign, as AOSP and the V16 transcription have it
  [13, 'locking', 0x00, 0x0627], // A.3.13 ARABIC LETTER ALEF
  [13, 'locking', 0x58, 0x0621], // ARABIC LETTER HAMZA
  [13, 'locking', 0x7f, 0x0670], // ARABIC LETTER SUPERSCRIPT ALEF
  [13, 'single', 0x19, 0x0600], // A.2.13 ARABIC NUMBER SIGN
  [13, 'single', 0x3f, 0x06d4], // ARABIC FULL STOP
];

describe('national language tables: spot checks', () => {
  it.each(SPOT_CHECKS)('language %i %s 0x%s', (lang, kind, septet, codePoint) => {
    const table = kind === 'locking' ? nationalLockingShiftTable(lang) : nationalSingleShiftTable(lang);
    const expected = codePoint < 0 ? '' : String.fromCodePoint(codePoint);
    expect(table?.[septet]).toBe(expected);
  });
});
