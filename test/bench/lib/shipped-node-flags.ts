import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The node options the bridge ships with, read from the systemd unit's `ExecStart`, the one
 * place they are written down (`npm start` repeats them; test/deploy/node-flags.test.ts keeps
 * the two equal). The benchmark and chaos rigs start the bridge with them, so they measure the
 * process a farm runs, not a bare `node dist/cli.js`.
 */

const UNIT = fileURLToPath(new URL('../../../config/simbridge.service', import.meta.url));

/** The words of `ExecStart` between the node binary and the script (`…/dist/cli.js`). */
export function nodeFlagsOfUnit(unitText: string): string[] {
  const line = unitText
    .split('\n')
    .map((raw) => raw.trim())
    .find((raw) => raw.startsWith('ExecStart='));
  if (line === undefined) throw new Error('the unit has no ExecStart');
  const words = line.slice('ExecStart='.length).split(/\s+/).filter(Boolean);
  const script = words.findIndex((word) => word.endsWith('/cli.js'));
  if (script < 1) throw new Error(`ExecStart does not run …/cli.js with node: ${line}`);
  return words.slice(1, script);
}

/** The shipped node options (see `nodeFlagsOfUnit`). */
export function shippedNodeFlags(): string[] {
  return nodeFlagsOfUnit(readFileSync(UNIT, 'utf8'));
}
