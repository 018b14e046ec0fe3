import type { AtResponse, AtSendOptions } from './types.js';

/** How a command ended, as the engine's queue pump sees it. */
export type Outcome = 'ok' | 'failed' | 'timeout' | 'aborted' | 'closed';

/** A queued `send()`: its command, options and promise callbacks. */
export interface Job {
  command: string;
  options: AtSendOptions;
  resolve(response: AtResponse): void;
  reject(error: Error): void;
  detachSignal(): void;
  /** Captured in `send()`, so a timeout's stack points at the caller, not at a timer. */
  origin?: Error;
}

/** The one command written and awaiting its final result, with what arrived so far. */
export interface InFlight {
  job: Job;
  lines: string[];
  timeoutMs: number;
  startedAt: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Echo (V.250 `E1`) already dropped. */
  echoSeen: boolean;
  /** The AT+CMGS `> ` prompt arrived (TS 27.005 §3.5.1). */
  promptSeen: boolean;
  bodyWritten: boolean;
  bodyEchoSeen: boolean;
  settle(outcome: Outcome): void;
}

/**
 * The bare `AT` of a resync (engine.ts header): any final result is its answer, and nobody
 * awaits it, so it resolves and rejects into nothing.
 */
export function syncProbeJob(timeoutMs: number): Job {
  return {
    command: 'AT',
    options: { timeoutMs, allowError: true },
    resolve: () => {},
    reject: () => {},
    detachSignal: () => {},
  };
}
