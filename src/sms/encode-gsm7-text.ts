/**
 * Unicode text to GSM 7-bit septets (TS 23.038 §6.2.1), with the national language tables of
 * Annex A when asked for. One group per character, so a splitter never separates an escape
 * from the septet that follows it (TS 23.038 §6.2.1.1; TS 23.040 §9.2.3.24.1 leaves no way to
 * carry half a character across parts).
 */
import { nationalLockingShiftTable, nationalSingleShiftTable } from './gsm7-national.js';
import { GSM7_DEFAULT_TABLE, GSM7_ESCAPE, GSM7_EXTENSION_TABLE } from './gsm7-tables.js';

/** Languages of the UDH IEs 0x25 (locking) and 0x24 (single shift); 0 or absent = default. */
export interface Gsm7Languages {
  lockingShiftLanguage?: number;
  singleShiftLanguage?: number;
}

const reverseCache = new Map<string, ReadonlyMap<string, readonly number[]>>();

function tablesFor(
  languages: Gsm7Languages,
): { locking: readonly string[]; shift: readonly string[] } | null {
  const lockingLanguage = languages.lockingShiftLanguage ?? 0;
  const shiftLanguage = languages.singleShiftLanguage ?? 0;
  const locking = lockingLanguage === 0 ? GSM7_DEFAULT_TABLE : nationalLockingShiftTable(lockingLanguage);
  const shift = shiftLanguage === 0 ? GSM7_EXTENSION_TABLE : nationalSingleShiftTable(shiftLanguage);
  if (locking === null || shift === null) return null;
  return { locking, shift };
}

/**
 * Character -> septets for a pair of tables. A character present in both tables uses the
 * locking table (one septet instead of two). Position 0x1B is never a character.
 */
function reverseMap(languages: Gsm7Languages): ReadonlyMap<string, readonly number[]> | null {
  const key = `${languages.lockingShiftLanguage ?? 0}/${languages.singleShiftLanguage ?? 0}`;
  const cached = reverseCache.get(key);
  if (cached !== undefined) return cached;
  const tables = tablesFor(languages);
  if (tables === null) return null;
  const map = new Map<string, readonly number[]>();
  tables.shift.forEach((char, code) => {
    if (char !== '' && code !== GSM7_ESCAPE) map.set(char, [GSM7_ESCAPE, code]);
  });
  tables.locking.forEach((char, code) => {
    if (char !== '' && code !== GSM7_ESCAPE) map.set(char, [code]);
  });
  reverseCache.set(key, map);
  return map;
}

/**
 * The septets of each character of `text` (one group per code point: `[septet]`, or
 * `[0x1B, septet]` for a character of the extension / single shift table). Null when some
 * character has no GSM 7-bit encoding in these tables, or a language has no such table.
 */
export function textToSeptetGroups(text: string, languages: Gsm7Languages = {}): number[][] | null {
  const map = reverseMap(languages);
  if (map === null) return null;
  const groups: number[][] = [];
  for (const char of text) {
    const septets = map.get(char);
    if (septets === undefined) return null;
    groups.push([...septets]);
  }
  return groups;
}

/** True when every character of `text` is in the given tables (default alphabet + extension). */
export function isGsm7Encodable(text: string, languages: Gsm7Languages = {}): boolean {
  return textToSeptetGroups(text, languages) !== null;
}
