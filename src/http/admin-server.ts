import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { z } from 'zod';
import { silentLogger } from '../log.js';
import { type AdminDeps, MESSAGE_STATUS_FILTERS } from './admin-deps.js';
import { describeIssues, errorHandler, operationErrorAnswer, sendError } from './http-errors.js';
import { toModemView } from './modem-view.js';
import { registerStatusPage } from './status-page.js';

/**
 * The admin HTTP API, CONTRACT.md §3: health, metrics, modems, operations, messages, and the
 * status page at `/` with its `/api/status` (status-page.ts). JSON in and
 * out; every body, parameter and query is validated (zod) and size-limited; every error is
 * `{ "error": <HTTP_ code>, "message": ... }`. Listens on `admin.listen`, loopback by default,
 * because it has no authentication.
 *
 * Returns the app without listening: the caller (`simbridge run`, the demo) calls `listen`,
 * tests call `inject`.
 */

const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;
const DEFAULT_OUTBOX_STUCK_AFTER_MS = 15 * 60_000;
/** int32: Onlinesim stores activation ids in that range (onlinesim-reseller.md §4). */
const MAX_OPERATION_ID = 2_147_483_647;

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

/** Builds the admin API over `deps`. Not listening. */
export function buildAdminServer(deps: AdminDeps): FastifyInstance {
  const log = (deps.log ?? silentLogger()).child({ layer: 'admin' });
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Every scrape and status-page refresh would otherwise log two lines.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
  });
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'HTTP_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
  );
  app.addHook('onResponse', async (request, reply) => {
    log.debug({ method: request.method, url: request.url, status: reply.statusCode }, 'admin request');
  });

  app.get('/healthz', async (_request, reply) => {
    let facts: Awaited<ReturnType<AdminDeps['health']>>;
    try {
      facts = await deps.health();
    } catch (err) {
      log.warn({ err }, 'health check failed');
      return reply
        .code(503)
        .send({ status: 'unavailable', storeWritable: false, warnings: ['health check failed'] });
    }
    const warnings: string[] = [];
    if (facts.modemsOnline === 0) warnings.push('no modem is online');
    if (facts.keyRefused === true) warnings.push('Onlinesim refuses the API key: nothing is delivered');
    const stuckAfterMs = deps.outboxStuckAfterMs ?? DEFAULT_OUTBOX_STUCK_AFTER_MS;
    if (facts.outboxOldestPendingAgeMs !== null && facts.outboxOldestPendingAgeMs > stuckAfterMs) {
      warnings.push(`the oldest pending push is ${Math.round(facts.outboxOldestPendingAgeMs / 1000)} s old`);
    }
    if (!facts.storeWritable) warnings.unshift('the store does not accept writes');
    return reply.code(facts.storeWritable ? 200 : 503).send({
      status: facts.storeWritable ? 'ok' : 'unavailable',
      ...facts,
      warnings,
    });
  });

  app.get('/metrics', async (_request, reply) => {
    if (!deps.metrics) return sendError(reply, 404, 'HTTP_NOT_FOUND', 'metrics are not enabled');
    const text = await deps.metrics.metrics();
    return reply.code(200).type(deps.metrics.contentType).send(text);
  });

  app.get('/api/modems', async () => {
    const snapshots = await deps.modems();
    return snapshots.map((snapshot) => toModemView(snapshot, deps.phoneFor));
  });

  app.post('/api/operations', async (request, reply) => {
    const parsed = createOperationBody.safeParse(request.body);
    if (!parsed.success)
      return sendError(reply, 400, 'HTTP_BAD_REQUEST', describeIssues(parsed.error.issues));
    const input = parsed.data;
    if (deps.isKnownPhone && !deps.isKnownPhone(input.phone)) {
      return sendError(
        reply,
        400,
        'HTTP_UNKNOWN_PHONE',
        `phone ${input.phone} is not in the configured SIM map`,
      );
    }
    try {
      const operation = await deps.operations.create(input);
      return reply.code(201).send(operation);
    } catch (err) {
      const mapped = operationErrorAnswer(err);
      if (mapped?.error === 'HTTP_OPERATION_ID_USED') {
        return sendError(reply, 409, mapped.error, `operation id ${input.operationId} is already used`);
      }
      throw err;
    }
  });

  app.delete('/api/operations/:operationId', async (request, reply) => {
    const parsed = operationIdParam.safeParse(request.params);
    if (!parsed.success) {
      return sendError(
        reply,
        400,
        'HTTP_BAD_REQUEST',
        `operationId: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    }
    const id = parsed.data.operationId;
    const notFound = () => sendError(reply, 404, 'HTTP_OPERATION_NOT_FOUND', `operation ${id} not found`);
    try {
      const ended = await deps.operations.end(id);
      if (ended === false || ended === null) return notFound();
      return reply.code(204).send();
    } catch (err) {
      if (operationErrorAnswer(err)?.status === 404) return notFound();
      throw err;
    }
  });

  app.get('/api/operations', async (request, reply) => {
    const parsed = operationsQuery.safeParse(request.query);
    if (!parsed.success)
      return sendError(reply, 400, 'HTTP_BAD_REQUEST', describeIssues(parsed.error.issues));
    return deps.operations.list({ activeOnly: parsed.data.active, limit: parsed.data.limit });
  });

  app.get('/api/earnings', async (_request, reply) => {
    if (!deps.earnings) return sendError(reply, 404, 'HTTP_NOT_FOUND', 'earnings are not available');
    return deps.earnings();
  });

  app.get('/api/messages', async (request, reply) => {
    const parsed = messagesQuery.safeParse(request.query);
    if (!parsed.success)
      return sendError(reply, 400, 'HTTP_BAD_REQUEST', describeIssues(parsed.error.issues));
    const { status } = parsed.data;
    return deps.messages.list(
      status === undefined ? { limit: parsed.data.limit } : { status, limit: parsed.data.limit },
    );
  });

  registerStatusPage(app, deps, log);

  return app;
}
