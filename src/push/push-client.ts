import http from 'node:http';
import type https from 'node:https';
import { GatewayError } from '../errors.js';
import { USER_AGENT } from '../version.js';
import type { PushHttpAnswer } from './classify-answer.js';
import type { PushSmsBody } from './types.js';

/**
 * Sends PUSH_SMS requests (CONTRACT.md §4) over keep-alive sockets (a `node:http` / `node:https`
 * Agent) to the push URL's origin. It only sends and reads: what an answer means is
 * `classifyPushAnswer`'s job, and when to send again is the worker's.
 *
 * Why node:http and not undici: measured in one process, 200 requests cost the resident set
 * about 8 MB through node:http (already loaded by the HTTP servers), 24 MB through the global
 * fetch and 42-58 MB through undici's Pool, on a bridge whose whole budget is 80 MB.
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

/** Cause codes of the three timeouts, each `timeoutMs` of silence on the socket. */
const TIMEOUT_CODES = new Set(['CONNECT_TIMEOUT', 'HEADERS_TIMEOUT', 'BODY_TIMEOUT']);

class CodedError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'PushRequestError';
    this.code = code;
  }
}

export class PushClient {
  readonly #agent: http.Agent;
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #request: typeof http.request;
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(options: PushClientOptions) {
    this.#url = new URL(options.pushUrl);
    this.#timeoutMs = options.timeoutMs;
    this.#maxResponseBytes = options.maxResponseBytes ?? PUSH_CLIENT_DEFAULTS.maxResponseBytes;
    this.#headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': options.userAgent ?? USER_AGENT,
      // The reseller notes (§2) list Bearer auth as required on every v1 endpoint while the seed
      // puts the key in the body: send both, as they recommend.
      authorization: `Bearer ${options.apiKey}`,
    };
    const agentOptions: http.AgentOptions = {
      keepAlive: true,
      maxSockets: options.connections,
      maxFreeSockets: options.connections,
      // An idle keep-alive socket closes after this long.
      timeout: options.keepAliveTimeoutMs ?? PUSH_CLIENT_DEFAULTS.keepAliveTimeoutMs,
      scheduling: 'lifo',
    };
    if (this.#url.protocol === 'https:') {
      // Loaded only for an https push URL: TLS is a few MB a test or a LAN setup does not need.
      const tls = loadHttps();
      this.#agent = new tls.Agent(agentOptions);
      this.#request = tls.request as typeof http.request;
    } else {
      this.#agent = new http.Agent(agentOptions);
      this.#request = http.request;
    }
  }

  /**
   * POSTs one PUSH_SMS. Resolves with whatever HTTP answer came back (any status); rejects with
   * `PUSH_TIMEOUT` or `PUSH_NETWORK` (the OS error as `cause`) when none did.
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
    const sending = this.#post(json, signal);
    this.#inFlight.add(sending);
    try {
      return await sending;
    } catch (err) {
      throw toPushError(err, this.#timeoutMs);
    } finally {
      this.#inFlight.delete(sending);
    }
  }

  /** Waits for requests in flight, then closes every socket. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
    this.#agent.destroy();
  }

  #post(json: string, signal: AbortSignal | undefined): Promise<PushHttpAnswer> {
    const payload = Buffer.from(json, 'utf8');
    return new Promise<PushHttpAnswer>((resolve, reject) => {
      let phase: 'CONNECT_TIMEOUT' | 'HEADERS_TIMEOUT' | 'BODY_TIMEOUT' = 'CONNECT_TIMEOUT';
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        reject(err);
        // Without the error: it was given to the caller, and must not surface as unhandled.
        request.destroy();
      };
      const request = this.#request(this.#url, {
        method: 'POST',
        agent: this.#agent,
        headers: { ...this.#headers, 'content-length': String(payload.length) },
        ...(signal ? { signal } : {}),
      });
      request.once('socket', (socket) => {
        // A reused keep-alive socket is already connected: it waits for headers at once.
        if (!socket.connecting) phase = 'HEADERS_TIMEOUT';
        else socket.once('connect', () => (phase = 'HEADERS_TIMEOUT'));
      });
      // Silence on the socket for timeoutMs, in any phase: connect, headers, body.
      request.setTimeout(this.#timeoutMs, () =>
        fail(new CodedError(phase, `no answer within ${this.#timeoutMs} ms`)),
      );
      request.on('error', fail);
      request.once('response', (response) => {
        phase = 'BODY_TIMEOUT';
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= this.#maxResponseBytes) chunks.push(chunk);
          else
            fail(new CodedError('RESPONSE_TOO_LARGE', `answer larger than ${this.#maxResponseBytes} bytes`));
        });
        response.on('error', fail);
        response.once('end', () => {
          if (settled) return;
          settled = true;
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            bodyText: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      request.end(payload);
    });
  }
}

/** node:https, loaded on first use (synchronously: the constructor is). */
function loadHttps(): typeof https {
  return process.getBuiltinModule('node:https');
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
