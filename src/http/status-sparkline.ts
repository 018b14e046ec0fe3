/**
 * SVG path data (`d`) of a sparkline over `values` in a `width` x `height` box: x spread evenly,
 * y from 0 at the bottom to the series' maximum at the top, a gap (new `M`) where a value is
 * null. Computed here, not in the page script, so the drawing is tested without a browser and
 * the page only sets an attribute.
 */
export function sparklinePath(values: readonly (number | null)[], width: number, height: number): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const parts: string[] = [];
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const x = round(i * step);
    // A flat zero line sits on the bottom edge; the top keeps a pixel so a peak stays visible.
    const y = round(max === 0 ? height : height - (value / max) * (height - 1));
    parts.push(`${drawing ? 'L' : 'M'}${x},${y}`);
    drawing = true;
  });
  return parts.join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
