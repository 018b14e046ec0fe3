import { BodyReadError, BodyTooLargeError, readBody } from '../../http/core/body.js';
import { HttpApp } from '../../http/core/http-app.js';
import type { HttpReply, HttpRequest, ServerLimits, TlsMaterial } from '../../http/core/types.js';
import { type Logger, silentLogger } from '../../log.js';
import type { ResellerStore } from '../../store/reseller-store.js';
import type { LiveSims } from '../live-sims.js';
import { type RentOptions, RentService } from '../rent-service.js';
import { ResellerService } from '../reseller-service.js';
import { ACTION_PATHS, type Action, type ActionLabel, dispatch, errorAnswer } from './dispatch.js';
import { decodedBody, encodeAnswer, UnsupportedEncodingError } from './gzip-body.js';

/** Tunables of the partner endpoint; every default follows onlinesim-reseller.md. */
export interface ResellerServerOptions {
  /**
   * How GET_NUMBER writes `number`: a JSON number (SMSHUB's type test, §4) or a string of
   * digits (§10 item 1 leaves it open). Default `number`.
   */
  numberFormat: 'number' | 'string';
  /** Largest request body accepted, after gzip decoding. Default 64 KiB. */
  bodyLimitBytes: number;
  /**
   * HTTP status of a missing or wrong key. Public agents answer 200 with an ERROR body (§9);
   * Onlinesim's auth page says 401 (§2). Default 200, the tolerant reading.
   */
  authErrorStatusCode: 200 | 401;
  /**
   * Socket limits: headers within 10 s (Onlinesim drops a call unanswered after 10 s anyway),
   * the whole request within 15 s, at most 256 connections at once.
   */
  limits: ServerLimits;
}

export const DEFAULT_RESELLER_SERVER_OPTIONS: ResellerServerOptions = {
  numberFormat: 'number',
  bodyLimitBytes: 64 * 1024,
  authErrorStatusCode: 200,
  limits: {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 15_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 256,
  },
};

/** One answered call, for the request counter. `action` is one of a bounded set. */
export interface ResellerCall {
  action: ActionLabel;
  status: number;
  durationMs: number;
}

export interface ResellerServerDeps {
  /** The partner key (`onlinesim.apiKey`); never logged. */
  apiKey: string;
  store: ResellerStore;
  sims: LiveSims;
  log?: Logger;
  /** Clock for operation timestamps (epoch ms). */
  now?: () => number;
  options?: Partial<Omit<ResellerServerOptions, 'limits'>> & { limits?: Partial<ServerLimits> };
  /** Node's own TLS (`reseller.tls`); plain HTTP without it. */
  tls?: TlsMaterial;
  /** Every answered call (metrics). */
  onCall?: (call: ResellerCall) => void;
  /** Serve rent (`reseller.rent` when enabled); without it the `*Rent` paths say RENT_NOT_SUPPORTED. */
  rent?: RentOptions;
}

/** The rent forms of the documented paths (§1); served only with `reseller.rent.enabled`. */
const RENT_PATHS = new Map<string, Action>([
  ['/getServicesRent', 'GET_SERVICES'],
  ['/getNumberRent', 'GET_NUMBER'],
  ['/finishActivationRent', 'FINISH_ACTIVATION'],
]);
const PATH_ACTIONS = new Map<string, Action | 'RENT' | 'ANY'>([
  ['/', 'ANY'],
  ...(Object.entries(ACTION_PATHS) as Array<[Action, string]>).map(([a, p]) => [p, a] as [string, Action]),
  ...[...RENT_PATHS.keys()].map((p) => [p, 'RENT'] as [string, 'RENT']),
]);

/** Seconds between two "connection cap reached" warnings. */
const DROP_WARNING_EVERY_MS = 10_000;

/**
 * The partner server Onlinesim calls (onlinesim-reseller.md §1-§5): one POST handler that
 * dispatches on the body's `action`, mounted at `/` and at the documented paths. Returned not
 * listening; the caller chooses the address (`reseller.listen`).
 *
 * Answers are JSON with `application/json; charset=utf-8`. Protocol-level failures (key, unknown
 * action, invalid fields) are HTTP 200 `{"status":"ERROR","error":...}` as public agents do
 * (§9); a body that cannot be read at all (bad JSON 400, too large 413, unknown encoding 415)
 * carries the same ERROR body with its HTTP status; a store failure is 500; another path or
 * method is 404/405 `REQUEST_NOT_FOUND`, never echoing the URL (its query may hold the key).
 * Every call gets one access-log line: method, path, action, status, duration, peer.
 */
export function buildResellerServer(deps: ResellerServerDeps): HttpApp {
  const options = {
    ...DEFAULT_RESELLER_SERVER_OPTIONS,
    ...deps.options,
    limits: { ...DEFAULT_RESELLER_SERVER_OPTIONS.limits, ...deps.options?.limits },
  };
  const log = (deps.log ?? silentLogger()).child({ layer: 'reseller' });
  const rent = deps.rent
    ? new RentService({ store: deps.store, sims: deps.sims, log, now: deps.now, options: deps.rent })
    : null;
  const service = new ResellerService({
    store: deps.store,
    sims: deps.sims,
    log,
    now: deps.now,
    ...(rent ? { rent } : {}),
  });
  let lastDropWarningMs = Number.NEGATIVE_INFINITY;

  const handle = async (request: HttpRequest): Promise<HttpReply> => {
    const mounted = PATH_ACTIONS.get(request.path);
    if (mounted === undefined) return protocolError(404, 'REQUEST_NOT_FOUND', 'NONE');
    if (request.method !== 'POST') {
      return { ...protocolError(405, 'REQUEST_NOT_FOUND', 'NONE'), headers: { allow: 'POST' } };
    }
    // A declared length counts encoded bytes: it bounds the read only when nothing is decoded.
    const encoded = request.headers['content-encoding'] !== undefined;
    const declared = encoded ? undefined : request.headers['content-length'];
    const stream = decodedBody(request.raw, request.headers);
    const text = (await readBody(stream, options.bodyLimitBytes, declared)).toString('utf8');
    if (mounted === 'RENT' && rent === null) return answer(200, errorAnswer('RENT_NOT_SUPPORTED'), 'RENT');
    let body: unknown;
    try {
      // Some peers omit or mislabel Content-Type (text/plain, none): every body is read as JSON.
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      return protocolError(400, 'BAD_REQUEST: unreadable body', 'NONE');
    }
    const result = await dispatch(
      body,
      {
        apiKey: deps.apiKey,
        service,
        rent,
        log,
        numberFormat: options.numberFormat,
        remoteAddress: request.remoteAddress,
        authorization: request.headers.authorization,
      },
      mounted === 'ANY' ? undefined : mounted === 'RENT' ? RENT_PATHS.get(request.path) : mounted,
      mounted === 'RENT',
    );
    const status = result.auth === 'ok' ? 200 : options.authErrorStatusCode;
    return answer(status, result.answer, result.action);
  };

  const onError = (err: unknown): HttpReply => {
    if (err instanceof BodyTooLargeError) return protocolError(413, 'BODY_TOO_LARGE', 'NONE');
    if (err instanceof UnsupportedEncodingError) return protocolError(415, 'UNSUPPORTED_ENCODING', 'NONE');
    if (err instanceof BodyReadError) {
      log.warn({ err: err.cause }, 'reseller call refused: unreadable body');
      return protocolError(400, 'BAD_REQUEST: unreadable body', 'NONE');
    }
    log.error({ err }, 'reseller call failed');
    return protocolError(500, 'INTERNAL_ERROR', 'NONE');
  };

  const app = new HttpApp({
    limits: options.limits,
    tls: deps.tls,
    handle: async (request) => encodeAnswer(await handle(request), request.headers['accept-encoding']),
    onError: (err, request) => encodeAnswer(onError(err), request.headers['accept-encoding']),
    onConnectionDropped: () => {
      const now = Date.now();
      if (now - lastDropWarningMs < DROP_WARNING_EVERY_MS) return;
      lastDropWarningMs = now;
      log.warn(
        { maxConnections: options.limits.maxConnections },
        'reseller connection cap reached: refusing',
      );
    },
  });
  app.onResponse((event) => {
    const action = (event.logFields.action as ActionLabel | undefined) ?? 'NONE';
    const ms = Math.round(event.durationMs * 10) / 10;
    log.info(
      {
        method: event.method,
        path: event.path,
        action,
        status: event.status,
        ms,
        remote: event.remoteAddress,
      },
      'reseller call',
    );
    deps.onCall?.({ action, status: event.status, durationMs: event.durationMs });
  });
  return app;
}

function answer(status: number, body: object, action: ActionLabel): HttpReply {
  return { status, body, logFields: { action } };
}

function protocolError(status: number, error: string, action: ActionLabel): HttpReply {
  return answer(status, errorAnswer(error), action);
}
