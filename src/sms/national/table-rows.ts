/** Marks a position a TS 23.038 table leaves undefined in the row strings of the data files. */
export const UNDEFINED_POSITION = '\uffff';

/**
 * Expands 8 row strings of 16 UTF-16 units each into a frozen 128-entry table indexed by septet
 * value, with `''` where the row holds {@link UNDEFINED_POSITION}. Every character of the Annex A
 * tables is in the Basic Multilingual Plane, so one unit is one position.
 */
export function tableFromRows(rows: readonly string[]): readonly string[] {
  const table: string[] = [];
  for (const row of rows) {
    if (row.length !== 16) throw new RangeError(`table row must have 16 positions, got ${row.length}`);
    for (const unit of row) table.push(unit === UNDEFINED_POSITION ? '' : unit);
  }
  if (table.length !== 128) throw new RangeError(`table must have 128 positions, got ${table.length}`);
  return Object.freeze(table);
}
