import type { FastifyInstance } from 'fastify';
import type { Logger } from '../log.js';
import type { AdminDeps, AdminMessage, AdminOperation, HealthFacts } from './admin-deps.js';
import { type ModemView, toModemView } from './modem-view.js';
import { DEFAULT_STATUS_REFRESH_MS, renderStatusPage, STATUS_PAGE_CSP } from './status-page-html.js';

/**
 * The status page (`GET /`) and the one JSON document it polls (`GET /api/status`), composed
 * from the admin API's own deps: modems with their active operation, recent messages with their
 * push state, the outbox backlog and health. One request per refresh keeps a Pi's load flat
 * however many browser tabs are open.
 */

/** Page knobs (`AdminDeps.statusPage`). */
export interface StatusPageOptions {
  /** How often the page polls. Default 2 s. */
  refreshMs?: number;
  /** Recent messages shown. Default 25. */
  messagesLimit?: number;
}

export const DEFAULT_STATUS_MESSAGES_LIMIT = 25;
/** Same threshold as `/healthz` (admin-server.ts). */
const DEFAULT_OUTBOX_STUCK_AFTER_MS = 15 * 60_000;
/** Active operations read to find each modem's; more than a farm has SIMs. */
const ACTIVE_OPERATIONS_LIMIT = 1000;

export interface StatusModem extends ModemView {
  activeOperation: { id: number; service: string } | null;
  model: string | null;
}

/** A message as the page shows it: no raw PDU, times as ISO 8601. */
export interface StatusMessage {
  id: number;
  status: string;
  receivedAt: string | null;
  port: string | null;
  phone: string | null;
  sender: string | null;
  text: string | null;
  operationId: number | null;
  push: { state: string; attempts: number } | null;
  multipart: { complete: boolean; partsReceived: number; total: number } | null;
}

/** `GET /api/status`. A part whose dep failed is empty and named in `errors`. */
export interface StatusDocument {
  generatedAt: string;
  health: { status: 'ok' | 'unavailable'; storeWritable: boolean; modemsOnline: number; warnings: string[] };
  modems: StatusModem[];
  messages: StatusMessage[];
  outbox: { depth: number | null; oldestPendingAgeMs: number | null };
  operations: { open: number };
  errors: string[];
}

/** Mounts `GET /` (HTML) and `GET /api/status` (JSON) on the admin app. */
export function registerStatusPage(app: FastifyInstance, deps: AdminDeps, log: Logger): void {
  const options = deps.statusPage ?? {};
  const html = renderStatusPage({ refreshMs: options.refreshMs ?? DEFAULT_STATUS_REFRESH_MS });
  app.get('/', async (_request, reply) =>
    reply
      .code(200)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', STATUS_PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .send(html),
  );
  app.get('/api/status', async (_request, reply) => {
    const document = await buildStatus(deps, options, log);
    return reply.code(200).header('cache-control', 'no-store').send(document);
  });
}

/** Reads every dep at once; one failing part does not blank the others. */
export async function buildStatus(
  deps: AdminDeps,
  options: StatusPageOptions = {},
  log?: Logger,
  nowMs: number = Date.now(),
): Promise<StatusDocument> {
  const limit = options.messagesLimit ?? DEFAULT_STATUS_MESSAGES_LIMIT;
  const [modems, operations, messages, health] = await Promise.allSettled([
    Promise.resolve().then(() => deps.modems()),
    deps.operations.list({ activeOnly: true, limit: ACTIVE_OPERATIONS_LIMIT }),
    deps.messages.list({ limit }),
    deps.health(),
  ]);
  const errors: string[] = [];
  const value = <T>(result: PromiseSettledResult<T>, what: string, fallback: T): T => {
    if (result.status === 'fulfilled') return result.value;
    log?.warn({ err: result.reason, part: what }, 'status page part failed');
    errors.push(`${what} unavailable`);
    return fallback;
  };
  const active = value(operations, 'operations', [] as readonly AdminOperation[]);
  const byPhone = new Map(active.filter((op) => op.status === 'active').map((op) => [op.phone, op]));
  const facts = value<HealthFacts | null>(health, 'health', null);
  const modemViews = value(modems, 'modems', []).map((snapshot): StatusModem => {
    const view = toModemView(snapshot, deps.phoneFor);
    const op = view.phone === null ? undefined : byPhone.get(view.phone);
    return {
      ...view,
      model: snapshot.identity?.model ?? null,
      activeOperation: op ? { id: op.id, service: op.service } : null,
    };
  });
  return {
    generatedAt: new Date(nowMs).toISOString(),
    health: judgeHealth(facts, deps.outboxStuckAfterMs ?? DEFAULT_OUTBOX_STUCK_AFTER_MS),
    modems: modemViews,
    messages: value(messages, 'messages', []).map(toStatusMessage),
    outbox: {
      depth: typeof facts?.outboxDepth === 'number' ? facts.outboxDepth : null,
      oldestPendingAgeMs: facts?.outboxOldestPendingAgeMs ?? null,
    },
    operations: { open: byPhone.size },
    errors,
  };
}

function judgeHealth(facts: HealthFacts | null, stuckAfterMs: number): StatusDocument['health'] {
  if (facts === null) {
    return {
      status: 'unavailable',
      storeWritable: false,
      modemsOnline: 0,
      warnings: ['health check failed'],
    };
  }
  const warnings: string[] = [];
  if (!facts.storeWritable) warnings.push('the store does not accept writes');
  if (facts.modemsOnline === 0) warnings.push('no modem is online');
  if (facts.keyRefused === true) warnings.push('Onlinesim refuses the API key: nothing is delivered');
  const age = facts.outboxOldestPendingAgeMs;
  if (age !== null && age > stuckAfterMs) {
    warnings.push(`the oldest pending push is ${Math.round(age / 1000)} s old`);
  }
  return {
    status: facts.storeWritable ? 'ok' : 'unavailable',
    storeWritable: facts.storeWritable,
    modemsOnline: facts.modemsOnline,
    warnings,
  };
}

/** Picks the fields the page shows from a listed message (extra fields pass through the API). */
function toStatusMessage(message: AdminMessage): StatusMessage {
  const m = message as AdminMessage & Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const receivedMs = num(m.receivedAtMs);
  const push = isRecord(m.push) ? { state: String(m.push.state), attempts: num(m.push.attempts) ?? 0 } : null;
  const multipart = isRecord(m.multipart)
    ? {
        complete: m.multipart.complete === true,
        partsReceived: num(m.multipart.partsReceived) ?? 0,
        total: num(m.multipart.total) ?? 0,
      }
    : null;
  return {
    id: m.id,
    status: m.status,
    receivedAt: receivedMs === null ? str(m.receivedAt) : new Date(receivedMs).toISOString(),
    port: str(m.port),
    phone: str(m.phone),
    sender: str(m.sender),
    text: str(m.text),
    operationId: num(m.operationId),
    push,
    multipart,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
