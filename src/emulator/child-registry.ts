import type { ChildProcess } from 'node:child_process';

/**
 * Every relay process the emulator starts, so none outlives the process that started it, even
 * when a test fails half-way: they are killed on `exit` and on SIGINT/SIGTERM (after which the
 * default handling resumes).
 */
const children = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
}

/** Number of relay processes still running, for tests that check for strays. */
export function liveChildCount(): number {
  return [...children].filter((child) => child.exitCode === null && child.signalCode === null).length;
}

export function killAllChildren(): void {
  killAll();
}
