import { describe } from 'vitest';
import { hasProgram, type ProgramName } from './programs.js';

/**
 * `describe` when every program in `names` is installed, `describe.skip` otherwise:
 * `describeWith('socat')('over a socat pty', () => { ... })`.
 */
export function describeWith(...names: ProgramName[]): typeof describe | typeof describe.skip {
  return names.every(hasProgram) ? describe : describe.skip;
}

/** `describe` when at least one of `names` is installed (alternatives, e.g. either pty relay). */
export function describeWithAny(...names: ProgramName[]): typeof describe | typeof describe.skip {
  return names.some(hasProgram) ? describe : describe.skip;
}

/** For suites on emulated modems behind real ptys: the relay is socat, or python3 without it. */
export const describeWithPty = describeWithAny('socat', 'python3');
