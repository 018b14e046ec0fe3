/**
 * GSM 7-bit default alphabet and its extension table, TS 23.038 §6.2.1 and §6.2.1.1.
 *
 * Both are 128-entry arrays indexed by septet value. In the extension table `''` marks a code
 * with no character: TS 23.038 §6.2.1.1 says a receiver then shows the character of the
 * default table (or of the active locking shift table) for that code.
 */

/** Septet value of the escape to the extension table (TS 23.038 §6.2.1, position 0x1B). */
export const GSM7_ESCAPE = 0x1b;

/**
 * TS 23.038 §6.2.1 default alphabet. Position 0x1B is the escape, never a character on its own;
 * it is kept as a non-breaking space only so the array has no hole.
 */
export const GSM7_DEFAULT_TABLE: readonly string[] = Array.from(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u00a0ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

const EXTENSION_ENTRIES: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'], // page break, shown as form feed
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

/** TS 23.038 §6.2.1.1 default alphabet extension table; `''` where the code is undefined. */
export const GSM7_EXTENSION_TABLE: readonly string[] = (() => {
  const table = new Array<string>(128).fill('');
  for (const [code, char] of EXTENSION_ENTRIES) table[code] = char;
  return table;
})();
