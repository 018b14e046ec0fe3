import type { AtCommander } from '../at/types.js';
import { isGatewayError } from '../errors.js';
import { sleep } from './options.js';

export interface ProbeOptions {
  /** Give up after this long (the next rung of the recovery ladder then runs). */
  windowMs: number;
  intervalMs: number;
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * Sends a bare `AT` every `intervalMs`, each with its own short deadline, until the modem
 * answers anything (OK or an error: both mean it listens again) or the window closes. True when
 * it answered. A command sent into a hang is lost on the modem side, so a short deadline per
 * probe, not one long wait, is what notices the first answer within about a second.
 */
export async function probeUntilAnswer(at: AtCommander, options: ProbeOptions): Promise<boolean> {
  const deadline = Date.now() + options.windowMs;
  for (;;) {
    if (options.signal.aborted) return false;
    const sentAt = Date.now();
    try {
      await at.send('AT', { timeoutMs: options.timeoutMs, allowError: true });
      return true;
    } catch (err) {
      // A closed port is the unplug path's business; a timeout is just another silent second.
      if (!isGatewayError(err) || err.code !== 'AT_TIMEOUT') return false;
    }
    const left = deadline - Date.now();
    if (left <= 0) return false;
    const wait = Math.min(left, Math.max(0, options.intervalMs - (Date.now() - sentAt)));
    await sleep(wait, options.signal).catch(() => {});
  }
}
