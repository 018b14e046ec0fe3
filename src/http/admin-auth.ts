import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpReply, HttpRequest } from './core/types.js';
import { errorReply } from './http-errors.js';

/**
 * The admin API's bearer token (`admin.token`). Every call that changes state (any method but
 * GET and HEAD) needs `Authorization: Bearer <token>`; reads need it too once the API is
 * reachable beyond loopback, except `/healthz`, which load balancers and systemd probes call
 * without secrets. Without a configured token nothing is checked: the config allows that only
 * on loopback.
 */

export interface AdminAuthOptions {
  /** `admin.token`; absent: no call needs a token. */
  token?: string | undefined;
  /**
   * Reads need the token too (`admin.listen` beyond loopback). Also turned on when the server
   * binds a non-loopback address, whatever this says.
   */
  readsNeedToken?: boolean;
}

/** Paths every caller may read without a token, wherever the API listens. */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz']);
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);
/** RFC 6750 §3: the challenge of a 401; `error="invalid_token"` when a token was sent. */
const CHALLENGE = 'Bearer realm="simbridge admin"';

export class AdminTokenGuard {
  /** SHA-256 of the token: equal-length inputs for `timingSafeEqual`, whatever is sent. */
  readonly #digest: Buffer | null;
  #readsNeedToken: boolean;

  constructor(options: AdminAuthOptions = {}) {
    this.#digest = options.token === undefined ? null : sha256(options.token);
    this.#readsNeedToken = options.readsNeedToken ?? false;
  }

  get enabled(): boolean {
    return this.#digest !== null;
  }

  get readsNeedToken(): boolean {
    return this.#readsNeedToken;
  }

  /** The server bound an address beyond loopback: from now on reads need the token as well. */
  guardReads(): void {
    this.#readsNeedToken = true;
  }

  /** Null when the request may go on, else the 401 to answer. */
  refusal(request: HttpRequest): HttpReply | null {
    if (this.#digest === null || !this.#needsToken(request)) return null;
    const sent = bearerToken(request.headers.authorization);
    if (sent === null) {
      return errorReply(
        401,
        'HTTP_UNAUTHORIZED',
        'this call needs the admin token: send "Authorization: Bearer <admin.token>"',
        { 'www-authenticate': CHALLENGE },
      );
    }
    if (timingSafeEqual(sha256(sent), this.#digest)) return null;
    return errorReply(401, 'HTTP_UNAUTHORIZED', 'the admin token sent is not admin.token', {
      'www-authenticate': `${CHALLENGE}, error="invalid_token"`,
    });
  }

  #needsToken(request: HttpRequest): boolean {
    if (!READ_METHODS.has(request.method)) return true;
    return this.#readsNeedToken && !OPEN_PATHS.has(request.path);
  }
}

/** The credentials of `Authorization: Bearer <token>` (scheme case-insensitive), else null. */
function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1] ?? null;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
