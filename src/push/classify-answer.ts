/**
 * What one PUSH_SMS answer means: delivered, rejected for good, or to be sent again.
 *
 * The rules (CONTRACT.md §4, the PUSH_SMS seed, onlinesim-reseller.md §6):
 * | answer                                                         | verdict                     |
 * |----------------------------------------------------------------|-----------------------------|
 * | body names NO_OPERATION / NO_OP / BAD_SERVICE / IGNORED /      | rejected (any HTTP status)  |
 * |   SERVICE_BAN                                                  |                             |
 * | HTTP 404 (the seed documents 404 as NO_OPERATION / NO_OP)      | rejected                    |
 * | HTTP 200 otherwise                                             | delivered                   |
 * | HTTP 429 TOO_MANY_ATTEMPTS, or any answer with Retry-After     | retry after max(10 s, R-A)  |
 * | anything else: 5xx, other 4xx, timeouts, refused/reset         | retry after 10 s            |
 *
 * The seed names NO_OPERATION / NO_OP and BAD_SERVICE as final. IGNORED (the SMS is from a
 * service other than the one ordered, Onlinesim filtering) and SERVICE_BAN (the sender is on our
 * own blacklist) are final by nature: both judge the SMS's content against fixed facts, the
 * ordered service and the blacklist, and the same body sent again 10 s later meets the same
 * facts. Retrying would only load Onlinesim and trip TOO_MANY_ATTEMPTS.
 *
 * A 200 ends the push even when its body carries another error name: the seed says a 200 must
 * never be followed by the same SMS again, and re-pushing is what Onlinesim's acceptance test
 * fails partners for.
 *
 * Pure: no clock (the caller passes `nowMs` for HTTP-date Retry-After), no I/O.
 */

/** Error names that end a push for good. */
export const FINAL_PUSH_ERRORS = ['NO_OPERATION', 'NO_OP', 'BAD_SERVICE', 'IGNORED', 'SERVICE_BAN'] as const;
export type FinalPushError = (typeof FINAL_PUSH_ERRORS)[number];

/** An HTTP answer as received. Header names lower-case (undici and node:http give them so). */
export interface PushHttpAnswer {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  bodyText: string;
}

/** No HTTP answer: the request failed on the way (refused, reset, DNS, timeout). */
export interface PushNetworkFailure {
  networkError: Error;
}

export type PushAnswer = PushHttpAnswer | PushNetworkFailure;

export type PushVerdict =
  | { kind: 'delivered'; errorName: string | null }
  | { kind: 'rejected'; reason: string; errorName: string }
  /** `delayMs` only when the answer asked for one (Retry-After); the caller applies max(...). */
  | { kind: 'retry'; delayMs?: number; reason: string; errorName: string | null };

export interface ClassifyOptions {
  /** Epoch ms, to turn an HTTP-date Retry-After into a delay. */
  nowMs?: number;
  /** A Retry-After beyond this is clamped, so a broken proxy cannot park the outbox for days. */
  maxRetryAfterMs?: number;
}

const DEFAULT_MAX_RETRY_AFTER_MS = 3_600_000;
// Upper-case whole tokens only: `NO_OP` inside `NO_OPERATION` is not a second match, and an
// English "ignored" in some proxy's HTML error page is not Onlinesim's IGNORED.
const FINAL_ERROR_TOKEN = /(?<![A-Z0-9_])(NO_OPERATION|NO_OP|BAD_SERVICE|IGNORED|SERVICE_BAN)(?![A-Z0-9_])/;
const ANY_ERROR_TOKEN = /(?<![A-Z0-9_])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![A-Z0-9_])/;

/** Classifies one PUSH_SMS answer. See the table at the top of this file. */
export function classifyPushAnswer(answer: PushAnswer, options: ClassifyOptions = {}): PushVerdict {
  if ('networkError' in answer) {
    const code = errorCodeOf(answer.networkError);
    return { kind: 'retry', reason: `network error: ${answer.networkError.message}`, errorName: code };
  }
  const finalError = findFinalError(answer.bodyText);
  if (finalError !== null) {
    return { kind: 'rejected', reason: `HTTP ${answer.status} ${finalError}`, errorName: finalError };
  }
  if (answer.status === 404) {
    return {
      kind: 'rejected',
      reason: 'HTTP 404 (NO_OPERATION per the PUSH_SMS spec)',
      errorName: 'NO_OPERATION',
    };
  }
  const errorName = findErrorName(answer.bodyText);
  if (answer.status === 200) return { kind: 'delivered', errorName };
  const retryName = errorName ?? (answer.status === 429 ? 'TOO_MANY_ATTEMPTS' : `HTTP_${answer.status}`);
  const delayMs = retryAfterMs(answer.headers['retry-after'], options);
  const reason = `HTTP ${answer.status}${errorName === null ? '' : ` ${errorName}`}`;
  return delayMs === undefined
    ? { kind: 'retry', reason, errorName: retryName }
    : { kind: 'retry', delayMs, reason, errorName: retryName };
}

/** The final error named by a body: the JSON `error`/`status` field first, else any token. */
function findFinalError(bodyText: string): FinalPushError | null {
  for (const field of jsonErrorFields(bodyText)) {
    const match = FINAL_ERROR_TOKEN.exec(field);
    if (match) return match[1] as FinalPushError;
  }
  const match = FINAL_ERROR_TOKEN.exec(bodyText);
  return match ? (match[1] as FinalPushError) : null;
}

/** Any error-like name in the body, for the attempt record (`TOO_MANY_ATTEMPTS`, `ERROR_WRONG_KEY`). */
function findErrorName(bodyText: string): string | null {
  for (const field of jsonErrorFields(bodyText)) {
    const match = ANY_ERROR_TOKEN.exec(field);
    if (match?.[1]) return match[1];
  }
  return null;
}

function jsonErrorFields(bodyText: string): string[] {
  const trimmed = bodyText.trim();
  if (!trimmed.startsWith('{')) return [];
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed === null || typeof parsed !== 'object') return [];
    const record = parsed as Record<string, unknown>;
    return ['error', 'status', 'code', 'message']
      .map((key) => record[key])
      .filter((value): value is string => typeof value === 'string');
  } catch {
    return [];
  }
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined, options: ClassifyOptions): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  const cap = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, cap);
  const dateMs = Date.parse(value);
  if (Number.isNaN(dateMs) || options.nowMs === undefined) return undefined;
  return Math.min(Math.max(0, dateMs - options.nowMs), cap);
}

/** `PUSH_NETWORK:ECONNREFUSED`: our code, then the cause's (undici or the OS), when there are. */
function errorCodeOf(err: Error): string | null {
  const codes = [err, err.cause]
    .map((e) => (e !== null && typeof e === 'object' ? Reflect.get(e, 'code') : undefined))
    .filter((code): code is string => typeof code === 'string');
  return codes.length === 0 ? null : [...new Set(codes)].join(':');
}
