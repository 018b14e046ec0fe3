// Last step of every build (`npm run build` runs it as postbuild, `npm ci` through prepare.mjs):
// makes the `simbridge` binary executable, so a symlink on PATH (README, "Install on a
// Raspberry Pi") runs it directly. tsc keeps the shebang of src/cli.ts but writes files 0644.
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const CLI_PATH = 'dist/cli.js';
const SHEBANG = '#!/usr/bin/env node\n';

/** Adds the execute bits (for whoever may read it) to `path`; refuses a file without shebang. */
export function markExecutable(path = CLI_PATH) {
  const head = readFileSync(path, 'utf8').slice(0, SHEBANG.length);
  if (head !== SHEBANG) {
    throw new Error(`${path} does not start with "${SHEBANG.trim()}": it cannot run as a command`);
  }
  const mode = statSync(path).mode & 0o777;
  // Execute where read is allowed: 0644 -> 0755, 0640 -> 0750.
  chmodSync(path, mode | ((mode & 0o444) >> 2));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    markExecutable(process.argv[2]);
  } catch (error) {
    console.error(`simbridge build: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
