/**
 * Plain-text tables for the view commands (`modems`, `messages`, `ops`). Cells are cleaned of
 * control characters first: a sender name or SMS text is chosen by whoever sent the SMS, and an
 * escape sequence printed raw could rewrite the operator's terminal.
 */

/** Replaces C0/C1 controls (ESC, CR, BEL...) and line breaks with a visible `?` or a space. */
export function cleanCell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  const text = String(value);
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Shortens to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

/** Left-aligned columns separated by two spaces, a header row, no trailing spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((row) => headers.map((_, i) => cleanCell(row[i])));
  const widths = headers.map((header, i) =>
    Math.max([...header].length, ...cells.map((row) => [...(row[i] ?? '')].length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => cell.padEnd((widths[i] ?? 0) + (cell.length - [...cell].length)))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...cells.map(line)].join('\n')}\n`;
}
