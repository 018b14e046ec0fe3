import type { Logger } from '../log.js';
import type { PushHttpAnswer } from './classify-answer.js';
import type { PushHealth } from './push-health.js';
import type { OutboxStore, PushSmsBody, PushTarget } from './types.js';

/** What a `PushWorker` is built from, and what it reports. */

/** Timers the worker sleeps with; injectable so tests drive time by hand. */
export interface PushTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What the worker needs from `PushClient`. */
export interface PushSender {
  send(body: PushSmsBody, signal?: AbortSignal): Promise<PushHttpAnswer>;
}

export type PushOutcomeKind = 'delivered' | 'rejected' | 'retry' | 'expired' | 'stopped';

/** One push's step, for metrics (`pushes by outcome and status`, latency histogram). */
export interface PushOutcome {
  kind: PushOutcomeKind;
  pushId: number;
  operationId: number;
  /** Which URL the push goes to: `rent` (pushSmsRent) or the activation push URL. */
  target?: PushTarget | 'activation';
  /** 1-based number of the HTTP attempt; for expired/stopped the attempts already made. */
  attempt: number;
  httpStatus: number | null;
  errorName: string | null;
  /** Request duration; null when no request was made. */
  durationMs: number | null;
  /** Age of the push (since it was queued) at this step. */
  ageMs: number;
}

export interface PushWorkerOptions {
  store: OutboxStore;
  client: PushSender;
  /**
   * Sends the pushes of rent operations (stored with target `rent`) to `onlinesim.pushRentUrl`,
   * with the same body and the same answer rules. Without it they go through `client`.
   */
  rentClient?: PushSender;
  /** Added to every body as `key` at send time; never logged. */
  apiKey: string;
  /** Config `push.retryDelayMs` (the seed's 10 s); a longer Retry-After wins. */
  retryDelayMs: number;
  /** Config `push.maxAgeMs`: older pushes end as `expired`. */
  maxAgeMs: number;
  /** Config `push.concurrency`: requests in flight at most. */
  concurrency: number;
  /** How long a claim holds a push; must exceed one request (3 × the client timeout is safe). */
  leaseMs: number;
  /** Epoch ms. Default `Date.now`. */
  clock?: () => number;
  timers?: PushTimers;
  log?: Logger;
  onOutcome?: (outcome: PushOutcome) => void;
  /** Called once at start with the number of pushes a dead process left in flight. */
  onDuplicateWindow?: (count: number) => void;
  /** When the outbox is empty, look again this often even without a kick. Default 5 s. */
  idlePollMs?: number;
  /** `stop()` waits this long for requests in flight before aborting them. Default 5 s. */
  stopGraceMs?: number;
  /** Attempts for one `record*` store write. Default 3. */
  recordAttempts?: number;
  /**
   * Called as a request goes out and as its answer (or failure) comes back, by push id: the
   * benchmark's stage table. Must be cheap; it runs on the hot path.
   */
  onStep?: (pushId: number, step: 'pushSent' | 'answerReceived') => void;
  /** Where the worker records whether Onlinesim refuses the key; default its own. */
  health?: PushHealth;
}

/** Defaults of the optional {@link PushWorkerOptions} timings. */
export const PUSH_WORKER_DEFAULTS = {
  idlePollMs: 5_000,
  stopGraceMs: 5_000,
  recordAttempts: 3,
} as const;
