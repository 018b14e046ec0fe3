/**
 * Decodes UCS-2 user data (TS 23.038 §6.2.3) as UTF-16BE, so a surrogate pair sent by phones
 * for an emoji becomes one character. The caller checks that `end - start` is even. A lone
 * surrogate is kept as the code unit it is (JSON output escapes it) rather than replaced.
 */
export function decodeUcs2(bytes: Uint8Array, start: number, end: number): string {
  const units = new Array<number>((end - start) >> 1);
  for (let i = start, j = 0; i + 1 < end; i += 2, j += 1) {
    units[j] = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  }
  return String.fromCharCode(...units);
}
