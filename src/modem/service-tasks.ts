import type { AtCommander } from '../at/types.js';
import type { Logger } from '../log.js';
import { call } from './at-call.js';

/**
 * Sends a profile's reset commands (quirks.md: Huawei CFUN=0/1, never CFUN=1,1; Quectel and
 * SIMCom CFUN=1,1). Failures are logged, not thrown: a hung modem may not answer at all, and
 * the reopen that follows is the real test.
 */
export async function sendVendorReset(
  at: AtCommander,
  commands: readonly string[],
  timeoutMs: number,
  log: Logger,
): Promise<void> {
  log.warn({ commands }, 'vendor reset');
  for (const command of commands) {
    await call(at, command, { timeoutMs }).catch((err: unknown) => {
      log.warn({ err, command }, 'reset command failed');
    });
  }
}

/** Runs each task on its own interval; returns a function that stops them all. */
export function startPeriodic(tasks: ReadonlyArray<{ everyMs: number; run(): void }>): () => void {
  const timers = tasks.map((task) => setInterval(() => task.run(), task.everyMs));
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
