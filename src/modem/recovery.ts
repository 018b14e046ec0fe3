/**
 * The rungs of modem recovery (quirks.md §1 "Recovery"), for a modem that went silent and for
 * one that answers but cannot be set up.
 */

import type { AtCommander } from '../at/types.js';
import { isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { recoveryAction } from './lifecycle.js';
import { backoffMs, type ModemTimings, sleep } from './options.js';
import { sendVendorReset } from './service-tasks.js';

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

/** One short probe: does the modem answer at all? False without an open port. */
export function probeOnce(
  at: AtCommander | null,
  timings: ModemTimings,
  signal: AbortSignal,
): Promise<boolean> {
  if (at === null) return Promise.resolve(false);
  return probeUntilAnswer(at, {
    windowMs: 0,
    intervalMs: timings.recoveryProbeIntervalMs,
    timeoutMs: timings.recoveryProbeTimeoutMs,
    signal,
  });
}

/** What a recovery rung decided: the next attempt number, and whether to reopen the port. */
export interface RungOutcome {
  attempt: number;
  needOpen: boolean;
}

export interface RungOptions {
  at: AtCommander | null;
  /** Consecutive failed attempts so far; sets the window and the ladder's next step. */
  attempt: number;
  timings: ModemTimings;
  /** The profile's vendor reset; empty when it has none. */
  resetCommands: readonly string[];
  resetCommandTimeoutMs: number;
  log: Logger;
  signal: AbortSignal;
  /** A vendor reset was sent (counted in the modem's history). */
  onVendorReset(): void;
}

/** Sends the vendor reset and lets the modem settle before the port is tried again. */
async function vendorReset(options: RungOptions): Promise<void> {
  if (options.at === null || options.resetCommands.length === 0) return;
  await sendVendorReset(options.at, options.resetCommands, options.resetCommandTimeoutMs, options.log);
  options.onVendorReset();
  await sleep(options.timings.resetSettleMs, options.signal).catch(() => {});
}

/**
 * One rung of the recovery of a silent modem: probe through the back-off window (which grows
 * with each attempt); still silent after it, reopen the port or send the vendor reset, per the
 * ladder of `recoveryAction`. `needOpen` tells the caller to reopen.
 */
export async function silentRecoveryRung(options: RungOptions): Promise<RungOutcome> {
  const { timings, attempt, log } = options;
  const windowMs = backoffMs(attempt, timings.recoveryBackoffBaseMs, timings.recoveryBackoffMaxMs);
  const action = recoveryAction(Math.max(1, attempt), options.resetCommands.length > 0);
  log.warn({ attempt, windowMs, next: action }, 'modem silent; probing until it answers');
  const answered =
    options.at !== null &&
    (await probeUntilAnswer(options.at, {
      windowMs,
      intervalMs: timings.recoveryProbeIntervalMs,
      timeoutMs: timings.recoveryProbeTimeoutMs,
      signal: options.signal,
    }));
  if (answered) {
    log.info({ attempt }, 'modem answers again; setting it up now');
    return { attempt: attempt + 1, needOpen: false };
  }
  if (action === 'vendor-reset') await vendorReset(options);
  return { attempt: attempt + 1, needOpen: action !== 'reinit' };
}

/**
 * One rung of the recovery of a modem that answers but whose init failed (refused settings, a
 * SIM that stayed busy): wait the back-off, then re-init, reopen or vendor reset per the ladder.
 */
export async function answeringRecoveryRung(options: RungOptions, err: unknown): Promise<RungOutcome> {
  const { timings, attempt, log } = options;
  const action = recoveryAction(attempt, options.resetCommands.length > 0);
  const delayMs = backoffMs(attempt, timings.recoveryBackoffBaseMs, timings.recoveryBackoffMaxMs);
  log.warn({ err, attempt, next: action, delayMs }, 'modem init failed; recovering');
  await sleep(delayMs, options.signal).catch(() => {});
  if (action === 'vendor-reset') await vendorReset(options);
  return { attempt: attempt + 1, needOpen: action !== 'reinit' };
}
