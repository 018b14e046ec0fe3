/**
 * Splitting of AT information-response parameters (TS 27.007 §4.1: comma-separated values,
 * strings in double quotes). Pure helpers shared by the response parsers.
 */

/** One parameter of an information response. `quoted` tells `""` (empty string) from nothing. */
export interface AtField {
  value: string;
  quoted: boolean;
}

/** Splits `a,"b,c",,d` into fields, honouring quotes; surrounding spaces are dropped. */
export function splitFields(text: string): AtField[] {
  const fields: AtField[] = [];
  let value = '';
  let quoted = false;
  let inQuotes = false;
  for (const char of text) {
    if (char === '"') {
      inQuotes = !inQuotes;
      quoted = true;
    } else if (char === ',' && !inQuotes) {
      fields.push({ value: quoted ? value : value.trim(), quoted });
      value = '';
      quoted = false;
    } else {
      value += char;
    }
  }
  fields.push({ value: quoted ? value : value.trim(), quoted });
  return fields;
}

/** Strips a response prefix such as `+CPMS:` (case-insensitive); null when the line lacks it. */
export function afterPrefix(line: string, prefix: string): string | null {
  const trimmed = line.trim();
  if (trimmed.toUpperCase().startsWith(prefix.toUpperCase())) return trimmed.slice(prefix.length).trim();
  return null;
}

/** Parses a decimal integer field; null for empty or non-numeric text. */
export function toInt(text: string | undefined): number | null {
  if (text === undefined) return null;
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) return null;
  return Number.parseInt(trimmed, 10);
}

/**
 * Parses a TS 27.007 §4.1 test-command range list such as `(0-2)`, `(0,1,3)`, `(0-1,3)` or a
 * bare `2` into the set of values it allows.
 */
export function parseRangeList(text: string): Set<number> {
  const values = new Set<number>();
  const inner = text.trim().replace(/^\(/, '').replace(/\)$/, '');
  for (const part of inner.split(',')) {
    const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      for (let v = from; v <= to && v - from < 1000; v += 1) values.add(v);
      continue;
    }
    const single = toInt(part);
    if (single !== null) values.add(single);
  }
  return values;
}

/** Splits a test-command answer `(a),(b-c),(d)` into its parenthesised groups (quotes kept). */
export function splitGroups(text: string): string[] {
  const groups: string[] = [];
  let depth = 0;
  let current = '';
  let inQuotes = false;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    if (!inQuotes && char === '(') depth += 1;
    if (!inQuotes && char === ')') depth -= 1;
    if (!inQuotes && char === ',' && depth === 0) {
      groups.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim() !== '') groups.push(current.trim());
  return groups;
}
