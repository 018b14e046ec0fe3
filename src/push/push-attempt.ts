import pRetry from 'p-retry';
import { toError } from '../errors.js';
import type { Logger } from '../log.js';
import { classifyPushAnswer, type PushAnswer, type PushVerdict } from './classify-answer.js';
import type { PushHealth } from './push-health.js';
import { PUSH_WORKER_DEFAULTS, type PushOutcome, type PushWorkerOptions } from './push-worker-options.js';
import type { PendingPush, PushAttemptRecord, PushSmsBody } from './types.js';

/**
 * One step of one push, the worker's unit of work in a slot:
 *
 *   too old? ──► endWithoutAttempt('expired')
 *   operation closed? ──► endWithoutAttempt('stopped')
 *   send ──► classifyPushAnswer ──► record (delivered / rejected / retry) ──► report, log
 *
 * The 200 → commit window, where a crash could cause a duplicate, is kept to the time of one
 * store write: the answer is recorded before anything else (no logging, no callbacks first).
 * p-retry wraps that write, whose transient failures (SQLite busy) must not turn a 200 into a
 * resend; the retry schedule of the push itself lives in the store.
 */
export class PushAttempts {
  readonly #options: PushWorkerOptions;
  readonly #clock: () => number;
  readonly #log: Logger;
  readonly #health: PushHealth;

  constructor(options: PushWorkerOptions, clock: () => number, log: Logger, health: PushHealth) {
    this.#options = options;
    this.#clock = clock;
    this.#log = log;
    this.#health = health;
  }

  /**
   * `answered` is called once no request is out any more for this push (its answer or failure
   * came back, or it ended without one), before the answer is recorded: the caller's slot.
   */
  async run(push: PendingPush, signal: AbortSignal, answered: () => void = () => {}): Promise<void> {
    const { store } = this.#options;
    const now = this.#clock();
    const ageMs = now - push.createdAtMs;
    if (ageMs >= this.#options.maxAgeMs) {
      answered();
      await store.endWithoutAttempt(
        push.id,
        'expired',
        `not delivered within ${this.#options.maxAgeMs} ms`,
        now,
      );
      this.#report(push, 'expired', null, ageMs);
      this.#log.warn(
        { pushId: push.id, operationId: push.operationId, attempts: push.attempts },
        'push expired',
      );
      return;
    }
    if (!(await store.isOperationOpen(push.operationId))) {
      answered();
      await store.endWithoutAttempt(
        push.id,
        'stopped',
        `operation ${push.operationId} is no longer open`,
        now,
      );
      this.#report(push, 'stopped', null, ageMs);
      this.#log.info({ pushId: push.id, operationId: push.operationId }, 'push stopped: operation finished');
      return;
    }
    const startedAtMs = this.#clock();
    let answer: PushAnswer;
    this.#options.onStep?.(push.id, 'pushSent');
    try {
      answer = await this.#clientFor(push).send(this.#bodyFor(push), signal);
    } catch (err) {
      answer = { networkError: toError(err) };
    }
    this.#options.onStep?.(push.id, 'answerReceived');
    answered();
    const finishedAtMs = this.#clock();
    const verdict = classifyPushAnswer(answer, { nowMs: finishedAtMs });
    const record: PushAttemptRecord = {
      pushId: push.id,
      attempt: push.attempts + 1,
      startedAtMs,
      finishedAtMs,
      httpStatus: 'status' in answer ? answer.status : null,
      errorName: verdict.errorName,
      responseSnippet:
        'bodyText' in answer ? answer.bodyText.slice(0, 512) : answer.networkError.message.slice(0, 512),
    };
    // Commit first: this is the window in which a crash after a 200 would cause a duplicate.
    const nextAttemptAtMs = await this.#record(record, verdict, finishedAtMs);
    this.#report(push, verdict.kind, record, finishedAtMs - push.createdAtMs);
    this.#noteKeyHealth(answer, verdict, record);
    this.#logVerdict(push, record, verdict, nextAttemptAtMs, answer);
  }

  async #record(record: PushAttemptRecord, verdict: PushVerdict, nowMs: number): Promise<number | null> {
    const { store } = this.#options;
    const nextAttemptAtMs =
      nowMs + Math.max(this.#options.retryDelayMs, verdict.kind === 'retry' ? (verdict.delayMs ?? 0) : 0);
    const write = (): Promise<void> => {
      switch (verdict.kind) {
        case 'delivered':
          return store.recordDelivered(record);
        case 'rejected':
          return store.recordRejected(record, verdict.reason);
        case 'retry':
          return store.recordRetry(record, nextAttemptAtMs);
      }
    };
    await pRetry(write, {
      retries: (this.#options.recordAttempts ?? PUSH_WORKER_DEFAULTS.recordAttempts) - 1,
      minTimeout: 25,
      factor: 4,
      onFailedAttempt: ({ error, attemptNumber }) =>
        this.#log.warn(
          { err: error, pushId: record.pushId, attemptNumber },
          'recording a push attempt failed',
        ),
    });
    return verdict.kind === 'retry' ? nextAttemptAtMs : null;
  }

  /** The rent push URL for a rent's push (its stored target survives restarts), else the usual one. */
  #clientFor(push: PendingPush) {
    return push.body.target === 'rent'
      ? (this.#options.rentClient ?? this.#options.client)
      : this.#options.client;
  }

  /** The seed's body, same every time for one push: stored fields plus action and key. */
  #bodyFor(push: PendingPush): PushSmsBody {
    return {
      smsId: push.body.smsId,
      phoneFrom: push.body.phoneFrom,
      phone: push.body.phone,
      text: push.body.text,
      action: 'PUSH_SMS',
      key: this.#options.apiKey,
    };
  }

  /** A refused key stops every delivery at once: said loudly, once, and cleared as loudly. */
  #noteKeyHealth(answer: PushAnswer, verdict: PushVerdict, record: PushAttemptRecord): void {
    const change = this.#health.observe(answer, verdict, record.finishedAtMs);
    const fields = { pushId: record.pushId, httpStatus: record.httpStatus, errorName: record.errorName };
    if (change === 'refused') {
      this.#log.error(
        fields,
        'Onlinesim refuses the API key (onlinesim.apiKey): no SMS is delivered until it is accepted; pushes keep retrying',
      );
    } else if (change === 'accepted') {
      this.#log.info(fields, 'Onlinesim accepts the API key again');
    }
  }

  #report(
    push: PendingPush,
    kind: PushOutcome['kind'],
    record: PushAttemptRecord | null,
    ageMs: number,
  ): void {
    this.#options.onOutcome?.({
      kind,
      pushId: push.id,
      operationId: push.operationId,
      target: push.body.target ?? 'activation',
      attempt: record?.attempt ?? push.attempts,
      httpStatus: record?.httpStatus ?? null,
      errorName: record?.errorName ?? null,
      durationMs: record === null ? null : record.finishedAtMs - record.startedAtMs,
      ageMs,
    });
  }

  #logVerdict(
    push: PendingPush,
    record: PushAttemptRecord,
    verdict: PushVerdict,
    nextAttemptAtMs: number | null,
    answer: PushAnswer,
  ): void {
    const fields = {
      pushId: push.id,
      operationId: push.operationId,
      attempt: record.attempt,
      httpStatus: record.httpStatus,
      errorName: record.errorName,
      durationMs: record.finishedAtMs - record.startedAtMs,
    };
    if (verdict.kind === 'delivered') this.#log.info(fields, 'PUSH_SMS delivered');
    else if (verdict.kind === 'rejected')
      this.#log.warn({ ...fields, reason: verdict.reason }, 'PUSH_SMS rejected');
    else {
      const err = 'networkError' in answer ? answer.networkError : undefined;
      this.#log.warn(
        { ...fields, err, reason: verdict.reason, nextAttemptAtMs },
        'PUSH_SMS to be sent again',
      );
    }
  }
}
