import { readdir, stat } from 'node:fs/promises';
import { posix } from 'node:path';

/** True when a path segment holds a `*` or `?` wildcard. */
export function hasWildcard(segment: string): boolean {
  return /[*?]/.test(segment);
}

/** Turns one path segment with `*` (any run) and `?` (one character) into an anchored RegExp. */
export function segmentPattern(segment: string): RegExp {
  const body = segment
    .split('')
    .map((char) =>
      char === '*' ? '[^/]*' : char === '?' ? '[^/]' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function expandOne(pattern: string): Promise<string[]> {
  if (!hasWildcard(pattern)) return (await exists(pattern)) ? [pattern] : [];
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((segment) => segment !== '');
  let bases = [absolute ? '/' : '.'];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of bases) {
      if (!hasWildcard(segment)) {
        next.push(posix.join(base, segment));
        continue;
      }
      const re = segmentPattern(segment);
      const names = await readdir(base).catch(() => [] as string[]);
      // Hidden entries only match a pattern that asks for them, like a shell.
      for (const name of names)
        if (re.test(name) && (!name.startsWith('.') || segment.startsWith('.'))) {
          next.push(posix.join(base, name));
        }
    }
    bases = next;
  }
  const found: string[] = [];
  for (const path of bases) if (await exists(path)) found.push(absolute ? path : path.replace(/^\.\//, ''));
  return found;
}

/**
 * Expands configured port patterns (`/dev/gsm/*`, `/dev/serial/by-path/*-port0`, plain paths)
 * into the paths present now, sorted and without duplicates. Only `*` and `?` are special.
 */
export async function expandPortPatterns(patterns: readonly string[]): Promise<string[]> {
  const all = new Set<string>();
  for (const pattern of patterns) for (const path of await expandOne(pattern)) all.add(path);
  return [...all].sort();
}
