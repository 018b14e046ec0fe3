import { simKeyOf } from '../bridge/message-identity.js';
import type { Logger } from '../log.js';
import {
  type AdminDeps,
  type AdminMessage,
  type AdminOperation,
  type HealthFacts,
  type StatusPageOptions,
  storeWarning,
} from './admin-deps.js';
import type { Router } from './core/router.js';
import { type ModemView, toModemView } from './modem-view.js';
import { countFailures, describeFailures, type FailureSummary } from './status-failures.js';
import type { StatusHistoryView } from './status-history.js';
import { DEFAULT_STATUS_REFRESH_MS, renderStatusPage, STATUS_PAGE_CSP } from './status-page-html.js';
import { rentsAtRiskWarning, type StatusRent, statusRents } from './status-rents.js';
import { type StatusSimFields, simsByIccid, statusSimFields } from './status-sims.js';

/**
 * The status page (`GET /`) and the one JSON document it polls (`GET /api/status`), composed
 * from the admin API's own deps: modems with their active operation, recent messages with their
 * push state, the outbox backlog and health. One request per refresh keeps a Pi's load flat
 * however many browser tabs are open.
 */

export const DEFAULT_STATUS_MESSAGES_LIMIT = 25;
/** Same threshold as `/healthz` (admin-server.ts). */
const DEFAULT_OUTBOX_STUCK_AFTER_MS = 15 * 60_000;
/** Active operations read to find each modem's; more than a farm has SIMs. */
const ACTIVE_OPERATIONS_LIMIT = 1000;

/** A modem row; its SIM's balance and number state come from the SIM registry (status-sims.ts). */
export interface StatusModem extends ModemView, StatusSimFields {
  /** `ageMs` from the operation's `createdAtMs`, null when the store does not say. */
  activeOperation: { id: number; service: string; ageMs: number | null } | null;
  model: string | null;
  /** SIM storage fill (+CPMS), nulls when unknown. */
  storage: { used: number | null; total: number | null };
  resets: number;
  reconnects: number;
  lastError: string | null;
  /** SMS stored today (local day) from this SIM; null without a history source. */
  smsToday: number | null;
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
  /**
   * The header badge: `bad` when the store refuses writes or a part failed, `warn` on health
   * warnings or messages rejected / expired / invalid in the last 24 h, else `ok`.
   */
  badge: { level: 'ok' | 'warn' | 'bad'; text: string };
  health: { status: 'ok' | 'unavailable'; storeWritable: boolean; modemsOnline: number; warnings: string[] };
  failures: FailureSummary;
  build: { version: string; uptimeMs: number } | null;
  modems: StatusModem[];
  messages: StatusMessage[];
  outbox: { depth: number | null; oldestPendingAgeMs: number | null };
  operations: { open: number };
  /** SMS per minute and push latency over the last hour; null without a history source. */
  history: StatusHistoryView | null;
  /** Active rents (at risk first); empty when none or rent is not served. */
  rents: StatusRent[];
  errors: string[];
}

/** Mounts `GET /` (HTML) and `GET /api/status` (JSON) on the admin app. */
export function registerStatusPage(router: Router, deps: AdminDeps, log: Logger): void {
  const options = deps.statusPage ?? {};
  const html = renderStatusPage({ refreshMs: options.refreshMs ?? DEFAULT_STATUS_REFRESH_MS });
  router.get('/', () => ({
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': STATUS_PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
    body: html,
  }));
  router.get('/api/status', async () => ({
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: await buildStatus(deps, options, log),
  }));
}

/** Reads every dep at once; one failing part does not blank the others. */
export async function buildStatus(
  deps: AdminDeps,
  options: StatusPageOptions = {},
  log?: Logger,
  nowMs: number = Date.now(),
): Promise<StatusDocument> {
  const limit = options.messagesLimit ?? DEFAULT_STATUS_MESSAGES_LIMIT;
  const health = await Promise.allSettled([deps.health()]).then(
    ([result]) => result as PromiseSettledResult<HealthFacts>,
  );
  const totals = health.status === 'fulfilled' ? health.value.messagesByStatus : undefined;
  const [modems, operations, messages, failures, simList] = await Promise.allSettled([
    Promise.resolve().then(() => deps.modems()),
    deps.operations.list({ activeOnly: true, limit: ACTIVE_OPERATIONS_LIMIT }),
    deps.messages.list({ limit }),
    countFailures(deps.messages, totals, nowMs),
    Promise.resolve().then(() => deps.sims?.list() ?? []),
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
  const sims = simsByIccid(value(simList, 'SIM list', []));
  const modemViews = value(modems, 'modems', []).map((snapshot): StatusModem => {
    const view = toModemView(snapshot, deps.phoneFor);
    const op = view.phone === null ? undefined : byPhone.get(view.phone);
    const createdAtMs = (op as { createdAtMs?: unknown } | undefined)?.createdAtMs;
    return {
      ...view,
      ...statusSimFields(view, sims),
      model: snapshot.identity?.model ?? null,
      activeOperation: op
        ? {
            id: op.id,
            service: op.service,
            ageMs: typeof createdAtMs === 'number' ? Math.max(0, nowMs - createdAtMs) : null,
          }
        : null,
      storage: { used: snapshot.storageUsed, total: snapshot.storageTotal },
      resets: snapshot.resets,
      reconnects: snapshot.reconnects,
      lastError: typeof snapshot.lastError === 'string' ? snapshot.lastError : null,
      smsToday: deps.history ? deps.history.smsToday(simKeyOf(view), nowMs) : null,
    };
  });
  const messageRows = value(messages, 'messages', []).map(toStatusMessage).sort(newestFirst);
  const failureSummary = value(failures, 'failure counts', {
    lastDay: { rejected: 0, expired: 0, invalid: 0, no_operation: 0 },
    capped: [],
    total: null,
  } satisfies FailureSummary);
  const healthView = judgeHealth(facts, deps.outboxStuckAfterMs ?? DEFAULT_OUTBOX_STUCK_AFTER_MS);
  const unhealthy = modemViews.filter((m) => m.health === 'unhealthy').length;
  if (unhealthy > 0) {
    healthView.warnings.push(
      `${unhealthy} SIM${unhealthy === 1 ? '' : 's'} unhealthy: not offered to Onlinesim`,
    );
  }
  return {
    generatedAt: new Date(nowMs).toISOString(),
    badge: judgeBadge(healthView, failureSummary, errors),
    health: healthView,
    failures: failureSummary,
    build: deps.build
      ? { version: deps.build.version, uptimeMs: Math.max(0, nowMs - deps.build.startedAtMs) }
      : null,
    modems: modemViews,
    messages: messageRows,
    outbox: {
      depth: typeof facts?.outboxDepth === 'number' ? facts.outboxDepth : null,
      oldestPendingAgeMs: facts?.outboxOldestPendingAgeMs ?? null,
    },
    operations: { open: byPhone.size },
    history: deps.history ? deps.history.view(nowMs) : null,
    rents: statusRents(active, nowMs),
    errors,
  };
}

function judgeBadge(
  health: StatusDocument['health'],
  failures: FailureSummary,
  errors: readonly string[],
): StatusDocument['badge'] {
  if (health.status !== 'ok') return { level: 'bad', text: health.warnings[0] ?? health.status };
  if (errors.length > 0) return { level: 'bad', text: errors.join(', ') };
  const failed = describeFailures(failures);
  const problems = [...(failed ? [failed] : []), ...health.warnings];
  return problems.length > 0 ? { level: 'warn', text: problems.join('; ') } : { level: 'ok', text: 'ok' };
}

/** By received time, newest first; the id breaks ties (and orders rows without a time last). */
function newestFirst(a: StatusMessage, b: StatusMessage): number {
  const at = (m: StatusMessage) =>
    m.receivedAt === null ? Number.NEGATIVE_INFINITY : Date.parse(m.receivedAt);
  return at(b) - at(a) || b.id - a.id;
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
  if (!facts.storeWritable) warnings.push(storeWarning(facts));
  if (facts.modemsOnline === 0) warnings.push('no modem is online');
  if (facts.keyRefused === true) warnings.push('Onlinesim refuses the API key: nothing is delivered');
  const rentRisk = rentsAtRiskWarning(facts);
  if (rentRisk !== null) warnings.push(rentRisk);
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
