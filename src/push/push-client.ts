import { Pool } from 'undici';
import { GatewayError } from '../errors.js';
import { USER_AGENT } from '../version.js';
import type { PushHttpAnswer } from './classify-answer.js';
import type { PushSmsBody } from './types.js';

/**
 * Sends PUSH_SMS requests (CONTRACT.md §4) over one keep-alive undici `Pool` to the push URL's
 * origin. It only sends and reads: what an answer means is `classifyPushAnswer`'s job, and when
 * to send again is the worker's.
 *
 *   PushWorker ──send(body)──► PushClient ──POST pushUrl──► Onlinesim
 *              ◄─PushHttpAnswer──         ◄──status, headers, body──
 *              ◄─throws PUSH_NETWORK / PUSH_TIMEOUT (no answer)
 */
export interface PushClientOptions {
  pushUrl: string;
  /** Sent as `Authorization: Bearer <key>` (the key itself is in the body, built by the caller). */
  apiKey: string;
  /** Connect, headers and body timeouts, each (config `push.timeoutMs`). */
  timeoutMs: number;
  /** Sockets kept to Onlinesim; match the worker's concurrency. */
  connections: number;
  /** Idle keep-alive before a socket closes. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Larger answers fail as PUSH_NETWORK rather than fill memory. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Default `simbridge/<package.json version>`. */
  userAgent?: string;
}

/** Defaults of the optional {@link PushClientOptions}. */
export const PUSH_CLIENT_DEFAULTS = {
  keepAliveTimeoutMs: 30_000,
  maxResponseBytes: 1_048_576,
} as const;

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export class PushClient {
  readonly #pool: Pool;
  readonly #path: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;

  constructor(options: PushClientOptions) {
    const url = new URL(options.pushUrl);
    this.#path = `${url.pathname}${url.search}`;
    this.#timeoutMs = options.timeoutMs;
    this.#headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': options.userAgent ?? USER_AGENT,
      // The reseller notes (§2) list Bearer auth as required on every v1 endpoint while the seed
      // puts the key in the body: send both, as they recommend.
      authorization: `Bearer ${options.apiKey}`,
    };
    this.#pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      connectTimeout: options.timeoutMs,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? PUSH_CLIENT_DEFAULTS.keepAliveTimeoutMs,
      maxResponseSize: options.maxResponseBytes ?? PUSH_CLIENT_DEFAULTS.maxResponseBytes,
    });
  }

  /**
   * POSTs one PUSH_SMS. Resolves with whatever HTTP answer came back (any status); rejects with
   * `PUSH_TIMEOUT` or `PUSH_NETWORK` (the undici/OS error as `cause`) when none did.
   */
  async send(body: PushSmsBody, signal?: AbortSignal): Promise<PushHttpAnswer> {
    // Keys in the seed's order; the body is built here so the order never depends on the caller.
    const json = JSON.stringify({
      smsId: body.smsId,
      phoneFrom: body.phoneFrom,
      phone: body.phone,
      text: body.text,
      action: 'PUSH_SMS',
      key: body.key,
    });
    try {
      const response = await this.#pool.request({
        method: 'POST',
        path: this.#path,
        headers: this.#headers,
        body: json,
        ...(signal ? { signal } : {}),
      });
      const bodyText = await response.body.text();
      return { status: response.statusCode, headers: response.headers, bodyText };
    } catch (err) {
      throw toPushError(err, this.#timeoutMs);
    }
  }

  /** Closes idle sockets and waits for requests in flight. */
  async close(): Promise<void> {
    await this.#pool.close();
  }
}

function toPushError(err: unknown, timeoutMs: number): GatewayError {
  const code: unknown = err !== null && typeof err === 'object' ? Reflect.get(err, 'code') : undefined;
  const causeCode = typeof code === 'string' ? code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (causeCode !== undefined && TIMEOUT_CODES.has(causeCode)) {
    return new GatewayError('PUSH_TIMEOUT', `PUSH_SMS got no answer within ${timeoutMs} ms (${causeCode})`, {
      cause: err,
      context: { causeCode },
    });
  }
  return new GatewayError('PUSH_NETWORK', `PUSH_SMS request failed: ${message}`, {
    cause: err,
    context: { causeCode },
  });
}
