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

/**
 * True when `path` (after symlinks) is a character device: a tty. The udev rules put a folder
 * (`/dev/gsm/probe`) next to the AT links, and stray files can sit anywhere a glob reaches;
 * opening either as a modem would make a phantom port that never answers.
 */
async function isCharacterDevice(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isCharacterDevice();
  } catch {
    return false;
  }
}

async function expandOne(pattern: string): Promise<string[]> {
  if (!hasWildcard(pattern)) return (await isCharacterDevice(pattern)) ? [pattern] : [];
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
  for (const path of bases)
    if (await isCharacterDevice(path)) found.push(absolute ? path : path.replace(/^\.\//, ''));
  return found;
}

/**
 * Expands configured port patterns (`/dev/gsm/*`, `/dev/serial/by-path/*-port0`, plain paths)
 * into the character devices present now, sorted and without duplicates. Only `*` and `?` are
 * special; folders, plain files and dangling links are left out.
 */
export async function expandPortPatterns(patterns: readonly string[]): Promise<string[]> {
  const all = new Set<string>();
  for (const pattern of patterns) for (const path of await expandOne(pattern)) all.add(path);
  return [...all].sort();
}
