/**
 * Every timing of the modem layer, in one place. Defaults suit real USB modems; tests pass
 * short values.
 */
export interface ModemTimings {
  /**
   * Settings check (`AT+CNMI?`, resets nobody announced) and `AT+CMGL` sweep, catching messages
   * whose `+CMTI` was lost (quirks.md §0). While the storage check runs no slower, the poll
   * rides on a check (`AT+CPMS?;+CNMI?`) and lists only when messages are stored, or on every
   * 10th poll (ready-tasks.ts).
   */
  pollIntervalMs: number;
  /**
   * The cheap safety net between sweeps: `AT+CPMS?` (about 40 bytes each way), and a sweep
   * only when the storage count differs from what the last sweep left. Finds a message whose
   * `+CMTI` was lost within this interval, and keeps a command going so a hang is noticed.
   * 3 s keeps a lost `+CMTI` well inside the 5 s promise while 64 idle modems stay under 1 %
   * of a core (each command costs a tty write and read whatever it says; see README "Idle").
   */
  storageCheckIntervalMs: number;
  /** Deadline of that check: short, so a command sent into a hang holds the queue briefly. */
  storageCheckTimeoutMs: number;
  /** How often the liveness probe (`AT`) runs when nothing else was answered meanwhile. */
  watchdogIntervalMs: number;
  /** Deadline of one liveness probe. */
  watchdogTimeoutMs: number;
  /** Consecutive missed probes before recovery starts (quirks.md §1: 3 × 5 s). */
  watchdogMisses: number;
  /**
   * First wait between SIM-busy retries of an init step; doubles up to `simBusyMaxDelayMs`.
   * A ready URC (`SMS Ready`, `+QIND: SMS DONE`, `PB DONE`) retries at once.
   */
  simBusyRetryMs: number;
  simBusyMaxDelayMs: number;
  /** Wait before reading again a message (or listing again) refused with SIM busy. */
  simBusyReadRetryMs: number;
  /** Give up waiting for the SIM after this long (`MODEM_SIM_BUSY`). */
  simBusyGiveUpMs: number;
  /** First wait between recovery attempts; doubles up to `recoveryBackoffMaxMs`. */
  recoveryBackoffBaseMs: number;
  recoveryBackoffMaxMs: number;
  /**
   * While a silent modem recovers, a bare `AT` is sent this often (each with
   * `recoveryProbeTimeoutMs`): the first answer starts the re-init and its sweep at once.
   */
  recoveryProbeIntervalMs: number;
  recoveryProbeTimeoutMs: number;
  /** Pause after a vendor reset before reopening the port. */
  resetSettleMs: number;
  /** Refresh of operator, signal and registration. */
  radioIntervalMs: number;
  /** Deadline passed to ordinary commands; undefined keeps the engine's own defaults. */
  commandTimeoutMs: number | undefined;
}

export const DEFAULT_MODEM_TIMINGS: Readonly<ModemTimings> = {
  pollIntervalMs: 30_000,
  storageCheckIntervalMs: 3_000,
  storageCheckTimeoutMs: 2_000,
  watchdogIntervalMs: 30_000,
  watchdogTimeoutMs: 5_000,
  watchdogMisses: 3,
  simBusyRetryMs: 500,
  simBusyMaxDelayMs: 1_000,
  simBusyReadRetryMs: 1_000,
  simBusyGiveUpMs: 120_000,
  recoveryBackoffBaseMs: 1_000,
  recoveryBackoffMaxMs: 60_000,
  recoveryProbeIntervalMs: 1_000,
  recoveryProbeTimeoutMs: 1_000,
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

/**
 * Resolves after `ms`, or as soon as `wake` fires; rejects early when the signal aborts.
 * Works with fake timers.
 */
export function sleep(ms: number, signal?: AbortSignal, wake?: Nudge): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stopWaking();
    };
    const onAbort = (): void => {
      done();
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    const stopWaking =
      wake?.subscribe(() => {
        done();
        resolve();
      }) ?? (() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wakes whoever sleeps on it right now (a ready URC cutting a SIM-busy back-off short). */
export class Nudge {
  readonly #listeners = new Set<() => void>();

  /** Calls `listener` at the next `fire()`; returns a function that cancels it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  fire(): void {
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }
}

/** The `modems.` keys of the configuration that set timings (each optional). */
export interface ModemTimingsConfig {
  pollIntervalMs?: number | undefined;
  watchdogIntervalMs?: number | undefined;
  storageCheckIntervalMs?: number | undefined;
  simBusyReadRetryMs?: number | undefined;
  recoveryProbeIntervalMs?: number | undefined;
}

/** The timings a configuration sets; absent keys keep the defaults. */
export function timingsFromConfig(config: ModemTimingsConfig): Partial<ModemTimings> {
  const timings: Partial<ModemTimings> = {};
  for (const key of [
    'pollIntervalMs',
    'watchdogIntervalMs',
    'storageCheckIntervalMs',
    'simBusyReadRetryMs',
    'recoveryProbeIntervalMs',
  ] as const) {
    const value = config[key];
    if (value !== undefined) timings[key] = value;
  }
  return timings;
}
