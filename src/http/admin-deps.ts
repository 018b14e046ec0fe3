import type { Logger } from '../log.js';
import type { ModemSnapshot } from '../modem/types.js';
import { MESSAGE_STATUSES, type MessageStatus } from '../store/repository.js';
import type { AdminAuthOptions } from './admin-auth.js';
import type { AdminSims } from './admin-sims.js';
import type { ServerLimits } from './core/types.js';
import type { ModemHealthFields } from './modem-view.js';
import type { StatusHistoryView } from './status-history.js';

/**
 * What the admin HTTP API needs, as small interfaces owned here. The composition root adapts
 * the store, the modem manager and the metrics registry to them; tests pass fakes.
 */

/** `POST /api/operations` body, validated. */
export interface CreateOperationRequest {
  phone: string;
  operationId: number;
  service: string;
  /** End the phone's live operation, if any; without it such a request is refused (409). */
  replace?: boolean;
}

/** An operation as listed. Extra fields (source, sums, times) are passed through as they are. */
export interface AdminOperation {
  id: number;
  phone: string;
  service: string;
  status: string;
}

/** A message as listed, with its state; extra fields (sender, text, multipart) pass through. */
export interface AdminMessage {
  id: number;
  status: string;
}

/**
 * Operations. Failures are reported by throwing an error whose `code` ends with
 * `_OPERATION_ID_USED` (-> 409), `_OPERATION_NOT_FOUND` (-> 404) or `_OPERATION_ID_INVALID`
 * (-> 400), as the store's `STORE_*` codes do, so the repository can be passed nearly as is.
 */
export interface AdminOperations {
  /** Makes it the phone's active operation (ending a previous one). */
  create(input: CreateOperationRequest): Promise<AdminOperation>;
  /**
   * The phone's live operation, or null. Without it the API looks through `list`, which is
   * enough for a farm's few hundred SIMs.
   */
  activeForPhone?(phone: string): Promise<AdminOperation | null>;
  /** Ends it; `false`/`null` (or a `_NOT_FOUND` error) when the id is unknown. */
  end(operationId: number): Promise<unknown>;
  list(query: { activeOnly: boolean; limit: number }): Promise<readonly AdminOperation[]>;
}

export interface AdminMessages {
  list(query: { status?: MessageStatusFilter; limit: number }): Promise<readonly AdminMessage[]>;
}

/** Message states accepted by `GET /api/messages?status=` (CONTRACT.md §3): every stored state. */
export const MESSAGE_STATUS_FILTERS = MESSAGE_STATUSES;
export type MessageStatusFilter = MessageStatus;

/** Facts `/healthz` judges. */
export interface HealthFacts {
  /** A test write committed (the store accepts commits). The only fact that makes it 503. */
  storeWritable: boolean;
  modemsOnline: number;
  /** Age of the oldest pending push, null when the outbox is empty. */
  outboxOldestPendingAgeMs: number | null;
  /**
   * Anything else worth showing (outbox depth, `messagesByStatus` since the store was created,
   * versions); passed through.
   */
  [extra: string]: unknown;
}

/** Why the store refuses writes, when the health source says (`storeProblem`, e.g. PostgreSQL unreachable). */
export function storeWarning(facts: HealthFacts): string {
  return typeof facts.storeProblem === 'string' ? facts.storeProblem : 'the store does not accept writes';
}

/** The bridge metrics `Registry` (prometheus/registry.ts) fits this. */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

/**
 * A modem as the admin API reads it: the driver snapshot, plus facts a driver may add. The
 * status page shows `lastError` when the snapshot carries it, and the SIM's health when given.
 */
export type AdminModem = ModemSnapshot & { lastError?: string | null } & Partial<ModemHealthFields>;

export interface AdminDeps {
  modems(): readonly AdminModem[] | Promise<readonly AdminModem[]>;
  /** The configured phone of a SIM (`SimDirectory.phoneFor`); null when not in the SIM map. */
  phoneFor(sim: { iccid: string | null; imsi: string | null }): string | null;
  /** When given, `POST /api/operations` refuses phones it says are not configured. */
  isKnownPhone?(phone: string): boolean;
  operations: AdminOperations;
  messages: AdminMessages;
  /** `GET /api/sims`, `POST /api/sims/{iccid}/confirm` (admin-sims.ts); 404 when absent. */
  sims?: AdminSims;
  health(): Promise<HealthFacts>;
  metrics?: MetricsSource;
  /** Earnings per SIM and per service (operations Onlinesim finished); `/api/earnings`. */
  earnings?: () => Promise<unknown>;
  log?: Logger;
  /** Request body limit. Default 16 KiB. */
  bodyLimitBytes?: number;
  /** `/healthz` warns (still 200) when the oldest pending push is older. Default 15 min. */
  outboxStuckAfterMs?: number;
  /** Status page at `/` (refresh period, messages shown); defaults when absent. */
  statusPage?: StatusPageOptions;
  /** Host names the API answers besides loopback and its listen address (`admin.allowedHosts`). */
  allowedHosts?: readonly string[];
  /** Socket limits (timeouts, connection cap); defaults when absent. */
  limits?: Partial<ServerLimits>;
  /** `admin.token` and whether reads need it (admin-auth.ts); no token checked when absent. */
  auth?: AdminAuthOptions;
  /** The version and start time the status page shows. */
  build?: { version: string; startedAtMs: number };
  /** The last hour per minute and today's SMS per SIM, for the status page (StatusHistory). */
  history?: StatusHistorySource;
}

/** What the status page reads of the recent past (`StatusHistory` in status-history.ts). */
export interface StatusHistorySource {
  view(nowMs: number): StatusHistoryView;
  /** SMS stored today by the SIM with this store key (ICCID, `imsi:<imsi>`, `port:<port>`). */
  smsToday(simKey: string, nowMs: number): number;
}

/** Page knobs (`AdminDeps.statusPage`). */
export interface StatusPageOptions {
  /** How often the page polls. Default 2 s. */
  refreshMs?: number;
  /** Recent messages shown. Default 25. */
  messagesLimit?: number;
}
