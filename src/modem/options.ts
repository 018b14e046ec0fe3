/**
 * Every timing of the modem layer, in one place. Defaults suit real USB modems; tests pass
 * short values.
 */
export interface ModemTimings {
  /** Safety-net `AT+CMGL` sweep, catching messages whose `+CMTI` was lost (quirks.md §0). */
  pollIntervalMs: number;
  /** How often the liveness probe (`AT`) runs when nothing else was answered meanwhile. */
  watchdogIntervalMs: number;
  /** Deadline of one liveness probe. */
  watchdogTimeoutMs: number;
  /** Consecutive missed probes before recovery starts (quirks.md §1: 3 × 5 s). */
  watchdogMisses: number;
  /** First wait between SIM-busy retries; doubles up to `simBusyMaxDelayMs`. */
  simBusyRetryMs: number;
  simBusyMaxDelayMs: number;
  /** Give up waiting for the SIM after this long (`MODEM_SIM_BUSY`). */
  simBusyGiveUpMs: number;
  /** First wait between recovery attempts; doubles up to `recoveryBackoffMaxMs`. */
  recoveryBackoffBaseMs: number;
  recoveryBackoffMaxMs: number;
  /** Pause after a vendor reset before reopening the port. */
  resetSettleMs: number;
  /** Refresh of operator, signal and registration. */
  radioIntervalMs: number;
  /** Deadline passed to ordinary commands; undefined keeps the engine's own defaults. */
  commandTimeoutMs: number | undefined;
}

export const DEFAULT_MODEM_TIMINGS: Readonly<ModemTimings> = {
  pollIntervalMs: 30_000,
  watchdogIntervalMs: 30_000,
  watchdogTimeoutMs: 5_000,
  watchdogMisses: 3,
  simBusyRetryMs: 500,
  simBusyMaxDelayMs: 5_000,
  simBusyGiveUpMs: 120_000,
  recoveryBackoffBaseMs: 1_000,
  recoveryBackoffMaxMs: 60_000,
  resetSettleMs: 3_000,
  radioIntervalMs: 60_000,
  commandTimeoutMs: undefined,
};

export function resolveTimings(overrides: Partial<ModemTimings> = {}): ModemTimings {
  return { ...DEFAULT_MODEM_TIMINGS, ...overrides };
}

/** Exponential back-off: base × 2^attempt, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
}

/** Resolves after `ms`; rejects early when the signal aborts. Works with fake timers. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
