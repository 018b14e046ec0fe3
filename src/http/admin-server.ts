import { z } from 'zod';
import { type Logger, silentLogger } from '../log.js';
import { AdminTokenGuard } from './admin-auth.js';
import { type AdminDeps, type AdminOperation, MESSAGE_STATUS_FILTERS, storeWarning } from './admin-deps.js';
import { HttpApp } from './core/http-app.js';
import { Router } from './core/router.js';
import type { HttpReply, HttpRequest } from './core/types.js';
import { HostPolicy, isLoopbackHost } from './host-check.js';
import { adminErrorReply, describeIssues, errorReply, operationErrorAnswer } from './http-errors.js';
import { readJsonBody } from './json-body.js';
import { toModemView } from './modem-view.js';
import { registerStatusPage } from './status-page.js';
import { rentsAtRiskWarning } from './status-rents.js';

/**
 * The admin HTTP API, CONTRACT.md §3: health, metrics, modems, operations, messages, and the
 * status page at `/` with its `/api/status` (status-page.ts). JSON in and out; every body,
 * parameter and query is validated (zod) and size-limited; every error is
 * `{ "error": <HTTP_ code>, "message": ... }`. Listens on `admin.listen`, loopback by default;
 * a `Host` it does not serve is refused (host-check.ts), and with `admin.token` every state change,
 * and beyond loopback every read but `/healthz`, needs `Authorization: Bearer` (admin-auth.ts).
 *
 * Returns the app without listening: the caller (`simbridge run`, the demo) calls `listen`,
 * tests call `inject`.
 */

const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;
const DEFAULT_OUTBOX_STUCK_AFTER_MS = 15 * 60_000;
/** int32: Onlinesim stores activation ids in that range (onlinesim-reseller.md §4). */
const MAX_OPERATION_ID = 2_147_483_647;
/** Active operations read to find a phone's when the deps have no direct lookup. */
const ACTIVE_OPERATIONS_SCAN = 1000;

const OPERATION_ID_RANGE = { message: `expected an integer from 1 to ${MAX_OPERATION_ID}` };
const operationId = z
  .number()
  .int(OPERATION_ID_RANGE)
  .min(1, OPERATION_ID_RANGE)
  .max(MAX_OPERATION_ID, OPERATION_ID_RANGE);
const createOperationBody = z
  .object({
    phone: z.string().regex(/^\d{7,15}$/, { message: 'expected 7 to 15 digits, no "+"' }),
    operationId,
    service: z.string().trim().min(1, { message: 'must not be empty' }).max(64),
    replace: z.boolean().optional(),
  })
  .strict();
const operationIdParam = z.object({
  operationId: z
    .string()
    .regex(/^\d{1,10}$/, { message: 'expected a positive integer' })
    .transform(Number)
    .pipe(operationId),
});
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const limit = z.coerce.number().int().min(1).max(1000).default(100);
const operationsQuery = z.object({ active: booleanFlag.default('false'), limit }).strict();
const messagesQuery = z.object({ status: z.enum(MESSAGE_STATUS_FILTERS).optional(), limit }).strict();

const ok = (body: unknown, status = 200): HttpReply => ({ status, body: body as object });
const queryOf = (request: HttpRequest): Record<string, string> => Object.fromEntries(request.query);

/** Builds the admin API over `deps`. Not listening. */
export function buildAdminServer(deps: AdminDeps): HttpApp {
  const log = (deps.log ?? silentLogger()).child({ layer: 'admin' });
  const bodyLimit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const hosts = new HostPolicy(deps.allowedHosts);
  const guard = new AdminTokenGuard(deps.auth);
  const refusalLog = new RefusalLog(log);
  const router = new Router();

  router.get('/healthz', async () => {
    let facts: Awaited<ReturnType<AdminDeps['health']>>;
    try {
      facts = await deps.health();
    } catch (err) {
      log.warn({ err }, 'health check failed');
      return ok({ status: 'unavailable', storeWritable: false, warnings: ['health check failed'] }, 503);
    }
    const warnings: string[] = [];
    if (facts.modemsOnline === 0) warnings.push('no modem is online');
    if (facts.keyRefused === true) warnings.push('Onlinesim refuses the API key: nothing is delivered');
    const rentRisk = rentsAtRiskWarning(facts);
    if (rentRisk !== null) warnings.push(rentRisk);
    const stuckAfterMs = deps.outboxStuckAfterMs ?? DEFAULT_OUTBOX_STUCK_AFTER_MS;
    if (facts.outboxOldestPendingAgeMs !== null && facts.outboxOldestPendingAgeMs > stuckAfterMs) {
      warnings.push(`the oldest pending push is ${Math.round(facts.outboxOldestPendingAgeMs / 1000)} s old`);
    }
    if (!facts.storeWritable) warnings.unshift(storeWarning(facts));
    const status = facts.storeWritable ? 'ok' : 'unavailable';
    return ok({ status, ...facts, warnings }, facts.storeWritable ? 200 : 503);
  });

  router.get('/metrics', async () => {
    if (!deps.metrics) return errorReply(404, 'HTTP_NOT_FOUND', 'metrics are not enabled');
    const text = await deps.metrics.metrics();
    return { status: 200, headers: { 'content-type': deps.metrics.contentType }, body: text };
  });

  router.get('/api/modems', async () => {
    const snapshots = await deps.modems();
    return ok(snapshots.map((snapshot) => toModemView(snapshot, deps.phoneFor)));
  });

  router.post('/api/operations', async (request) => {
    const parsed = createOperationBody.safeParse(await readJsonBody(request, bodyLimit));
    if (!parsed.success) return errorReply(400, 'HTTP_BAD_REQUEST', describeIssues(parsed.error.issues));
    const input = parsed.data;
    if (deps.isKnownPhone && !deps.isKnownPhone(input.phone)) {
      return errorReply(400, 'HTTP_UNKNOWN_PHONE', `phone ${input.phone} is not in the configured SIM map`);
    }
    if (input.replace !== true) {
      const live = await activeOperationOf(deps, input.phone);
      if (live?.id === input.operationId) {
        return errorReply(409, 'HTTP_OPERATION_ID_USED', `operation id ${input.operationId} is already used`);
      }
      if (live) {
        return errorReply(
          409,
          'HTTP_OPERATION_ACTIVE',
          `phone ${input.phone} has the live operation ${live.id} (${live.service}); end it first ` +
            `(simbridge ops end ${live.id}) or send "replace": true to end it and start this one`,
        );
      }
    }
    try {
      return ok(await deps.operations.create(input), 201);
    } catch (err) {
      if (operationErrorAnswer(err)?.error === 'HTTP_OPERATION_ID_USED') {
        return errorReply(409, 'HTTP_OPERATION_ID_USED', `operation id ${input.operationId} is already used`);
      }
      throw err;
    }
  });

  router.delete('/api/operations/:operationId', async (request) => {
    const parsed = operationIdParam.safeParse(request.params);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? 'invalid';
      return errorReply(400, 'HTTP_BAD_REQUEST', `operationId: ${why}`);
    }
    const id = parsed.data.operationId;
    const notFound = () => errorReply(404, 'HTTP_OPERATION_NOT_FOUND', `operation ${id} not found`);
    try {
      const ended = await deps.operations.end(id);
      if (ended === false || ended === null) return notFound();
      return { status: 204 };
    } catch (err) {
      if (operationErrorAnswer(err)?.status === 404) return notFound();
      throw err;
    }
  });

  router.get('/api/operations', async (request) => {
    const parsed = operationsQuery.safeParse(queryOf(request));
    if (!parsed.success) return errorReply(400, 'HTTP_BAD_REQUEST', describeIssues(parsed.error.issues));
    return ok(await deps.operations.list({ activeOnly: parsed.data.active, limit: parsed.data.limit }));
  });

  router.get('/api/earnings', async () => {
    if (!deps.earnings) return errorReply(404, 'HTTP_NOT_FOUND', 'earnings are not available');
    return ok(await deps.earnings());
  });

  router.get('/api/messages', async (request) => {
    const parsed = messagesQuery.safeParse(queryOf(request));
    if (!parsed.success) return errorReply(400, 'HTTP_BAD_REQUEST', describeIssues(parsed.error.issues));
    const { status } = parsed.data;
    const query = status === undefined ? { limit: parsed.data.limit } : { status, limit: parsed.data.limit };
    return ok(await deps.messages.list(query));
  });

  registerStatusPage(router, deps, log);

  const app = new HttpApp({
    limits: deps.limits,
    onError: adminErrorReply(log),
    onListening: (host, url) => {
      hosts.addListenHost(host);
      if (isLoopbackHost(host)) return;
      guard.guardReads();
      if (guard.enabled) {
        log.warn(
          { url },
          'the admin API listens beyond loopback: every call but /healthz needs admin.token, which ' +
            'crosses the network in clear over plain HTTP; prefer 127.0.0.1 and an SSH tunnel, or TLS in front',
        );
      } else {
        log.warn(
          { url },
          'the admin API listens beyond loopback and has no authentication: anyone who reaches this ' +
            'address can read every SMS and end operations; prefer 127.0.0.1 and an SSH tunnel',
        );
      }
    },
    handle: async (request) => {
      if (!hosts.allows(request.headers.host)) {
        log.warn(
          { host: String(request.headers.host).slice(0, 100) },
          'admin request for a foreign Host refused',
        );
        return errorReply(
          421,
          'HTTP_HOST_NOT_ALLOWED',
          'this Host is not served here; add the name to admin.allowedHosts to use it',
        );
      }
      // Before routing: without the token, not even which routes exist is told.
      const refusal = guard.refusal(request);
      if (refusal !== null) {
        refusalLog.note(request);
        return refusal;
      }
      const route = router.match(request.method, request.path);
      if (route.kind === 'found') {
        request.params = route.params;
        return route.handler(request);
      }
      if (route.kind === 'method-not-allowed') {
        return errorReply(
          405,
          'HTTP_METHOD_NOT_ALLOWED',
          `${request.method} is not served on ${request.path}`,
          {
            allow: route.allowed.join(', '),
          },
        );
      }
      return errorReply(404, 'HTTP_NOT_FOUND', `no route ${request.method} ${request.path}`);
    },
  });
  app.onResponse((event) => {
    log.debug({ method: event.method, path: event.path, status: event.status }, 'admin request');
  });
  return app;
}

async function activeOperationOf(deps: AdminDeps, phone: string): Promise<AdminOperation | null> {
  if (deps.operations.activeForPhone) return deps.operations.activeForPhone(phone);
  const active = await deps.operations.list({ activeOnly: true, limit: ACTIVE_OPERATIONS_SCAN });
  return active.find((op) => op.phone === phone && op.status === 'active') ?? null;
}

/** Refused calls, one warning a minute at most: a guessing client must not flood the log. */
class RefusalLog {
  static readonly INTERVAL_MS = 60_000;
  readonly #log: Logger;
  #lastWarnAtMs = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  constructor(log: Logger) {
    this.#log = log;
  }

  note(request: HttpRequest): void {
    const now = Date.now();
    if (now - this.#lastWarnAtMs < RefusalLog.INTERVAL_MS) {
      this.#suppressed += 1;
      return;
    }
    this.#log.warn(
      {
        method: request.method,
        path: request.path,
        remoteAddress: request.remoteAddress,
        refusedSinceLastWarning: this.#suppressed,
      },
      'admin call without the right token refused (401)',
    );
    this.#lastWarnAtMs = now;
    this.#suppressed = 0;
  }
}
