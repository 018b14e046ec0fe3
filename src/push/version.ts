import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The product version from package.json, for `User-Agent: simbridge/<version>`. Walks up from
 * this file because the depth differs between `src/` (tsx, tests) and `dist/` (built).
 */
export function productVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'simbridge' && typeof pkg.version === 'string') {
        cached = pkg.version;
        return cached;
      }
    } catch {
      // not here; keep walking up
    }
    dir = dirname(dir);
  }
  cached = '0.0.0';
  return cached;
}
