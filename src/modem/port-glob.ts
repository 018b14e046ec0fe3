import { readdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';

/*
 * The rescan runs every 2 s over every configured port, so its file-system calls are
 * synchronous: device nodes (devtmpfs) and sysfs live in memory and answer in microseconds,
 * while each asynchronous call is a round trip through libuv's thread pool and a promise. With
 * 64 modems that was about 130 such round trips per rescan and a third of the idle farm's CPU.
 */

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
 * The device number of `path` (after symlinks) when it is a character device (a tty), else
 * null. The udev rules put a folder (`/dev/gsm/probe`) next to the AT links, and stray files
 * can sit anywhere a glob reaches; opening either as a modem would make a phantom port that
 * never answers.
 */
function characterDevice(path: string): number | null {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats?.isCharacterDevice() ? stats.rdev : null;
  } catch {
    return null;
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function expandOne(pattern: string, into: Map<string, number>): void {
  if (!hasWildcard(pattern)) {
    const rdev = characterDevice(pattern);
    if (rdev !== null) into.set(pattern, rdev);
    return;
  }
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
      const names = listDir(base);
      // Hidden entries only match a pattern that asks for them, like a shell.
      for (const name of names)
        if (re.test(name) && (!name.startsWith('.') || segment.startsWith('.'))) {
          next.push(posix.join(base, name));
        }
    }
    bases = next;
  }
  for (const path of bases) {
    const rdev = characterDevice(path);
    if (rdev !== null) into.set(absolute ? path : path.replace(/^\.\//, ''), rdev);
  }
}

/**
 * Expands configured port patterns (`/dev/gsm/*`, `/dev/serial/by-path/*-port0`, plain paths)
 * into the character devices present now, sorted and without duplicates. Only `*` and `?` are
 * special; folders, plain files and dangling links are left out.
 */
export async function expandPortPatterns(patterns: readonly string[]): Promise<string[]> {
  return [...(await expandPortDevices(patterns)).keys()];
}

/**
 * Like {@link expandPortPatterns}, with each path's device number (`rdev`): the rescan hands
 * it on to the port finder, which would otherwise stat every port a second time.
 */
export async function expandPortDevices(patterns: readonly string[]): Promise<Map<string, number>> {
  const all = new Map<string, number>();
  for (const pattern of patterns) expandOne(pattern, all);
  return new Map([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
