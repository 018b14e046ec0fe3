import { type Dispatcher, request } from 'undici';
import { GatewayError, toError } from '../errors.js';
import type { EarningsReport } from '../reseller/earnings-report.js';
import type { AdminTarget } from './admin-target.js';

export {
  type AdminTarget,
  DEFAULT_ADMIN_URL,
  resolveAdminTarget,
  resolveAdminUrl,
} from './admin-target.js';

/**
 * A small client of the admin HTTP API (CONTRACT.md §3) for `simbridge messages` and
 * `simbridge ops`. Failures are `GatewayError`s a command can print as they are:
 * - `CLI_ADMIN_UNREACHABLE`: nothing answers at the URL (is `simbridge run` running?);
 * - `CLI_ADMIN_REJECTED`: the API answered an error (`status` and the API's `error` code in
 *   `context`); a 401 says where the token comes from;
 * - `CLI_ADMIN_BAD_ANSWER`: the answer is not the JSON expected (another program on the port?).
 */

export interface AdminClientOptions {
  /** `http://host:port`, no trailing path. */
  baseUrl: string;
  /** `admin.token`, sent as `Authorization: Bearer` on every call; none when null/absent. */
  token?: string | null;
  /** Said with a 401 when no token could be sent (`AdminTarget.tokenHint`). */
  tokenHint?: string | null;
  /** Per request. Default 5 s. */
  timeoutMs?: number;
  /** undici dispatcher (tests, proxies). Default: the global one. */
  dispatcher?: Dispatcher;
}

export const DEFAULT_ADMIN_TIMEOUT_MS = 5_000;

/** An operation as `GET /api/operations` lists it; other fields pass through. */
export interface OperationRow {
  id: number;
  phone: string;
  service: string;
  status: string;
  [field: string]: unknown;
}

/** A SIM as `GET /api/sims` lists it (src/sims `SimView`). */
export interface SimRow {
  iccid: string;
  imsi: string | null;
  port: string | null;
  phone: string | null;
  source: 'config' | 'cnum' | 'ussd' | null;
  confirmed: boolean;
  offered: boolean;
  operator: string | null;
  country: string | null;
  balance: number | null;
  problem: string | null;
}

/** A message as `GET /api/messages` lists it; other fields pass through. */
export interface MessageRow {
  id: number;
  status: string;
  [field: string]: unknown;
}

export class AdminClient {
  readonly baseUrl: string;
  readonly #timeoutMs: number;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #token: string | null;
  readonly #tokenHint: string | null;

  constructor(options: AdminClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_ADMIN_TIMEOUT_MS;
    this.#dispatcher = options.dispatcher;
    this.#token = options.token ?? null;
    this.#tokenHint = options.tokenHint ?? null;
  }

  /** A client of the API at `target`, with its token. */
  static for(target: AdminTarget, options: Omit<AdminClientOptions, 'baseUrl' | 'token' | 'tokenHint'> = {}) {
    return new AdminClient({ ...options, ...target });
  }

  listMessages(query: { status?: string; limit?: number } = {}): Promise<MessageRow[]> {
    const params = new URLSearchParams();
    if (query.status !== undefined) params.set('status', query.status);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return this.#json<MessageRow[]>('GET', `/api/messages${suffix(params)}`);
  }

  listOperations(query: { active: boolean; limit?: number }): Promise<OperationRow[]> {
    const params = new URLSearchParams({ active: String(query.active) });
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return this.#json<OperationRow[]>('GET', `/api/operations${suffix(params)}`);
  }

  openOperation(input: { phone: string; operationId: number; service: string }): Promise<OperationRow> {
    return this.#json<OperationRow>('POST', '/api/operations', input);
  }

  /** `GET /api/earnings`: earnings per SIM and per service (the reseller's `EarningsReport`). */
  earnings(): Promise<EarningsReport> {
    return this.#json<EarningsReport>('GET', '/api/earnings');
  }

  /** `GET /api/sims`: every SIM with its number, source, confirmation and balance. */
  listSims(): Promise<SimRow[]> {
    return this.#json<SimRow[]>('GET', '/api/sims');
  }

  /** `POST /api/sims/{iccid}/confirm`: confirms the SIM's discovered number. */
  confirmSim(iccid: string): Promise<SimRow> {
    return this.#json<SimRow>('POST', `/api/sims/${encodeURIComponent(iccid)}/confirm`);
  }

  async endOperation(operationId: number): Promise<void> {
    await this.#json<unknown>('DELETE', `/api/operations/${operationId}`);
  }

  async #json<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(url, {
        method,
        headers: this.#headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: this.#dispatcher,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const cause = toError(err);
      throw new GatewayError(
        'CLI_ADMIN_UNREACHABLE',
        `no answer from the admin API at ${this.baseUrl} (${describeNetworkError(cause)}); is simbridge running, and is that its admin.listen? (use --admin URL or --config FILE)`,
        { cause, context: { url } },
      );
    }
    const text = await answer.body.text();
    if (answer.statusCode === 204) return undefined as T;
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch (err) {
      throw new GatewayError(
        'CLI_ADMIN_BAD_ANSWER',
        `${method} ${url} answered ${answer.statusCode} with something that is not JSON; is another program listening there?`,
        { cause: err, context: { url, status: answer.statusCode } },
      );
    }
    if (answer.statusCode >= 400) {
      const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
      const message = typeof record.message === 'string' ? record.message : text.slice(0, 200);
      const advice = answer.statusCode === 401 ? `; ${this.#unauthorizedAdvice()}` : '';
      throw new GatewayError('CLI_ADMIN_REJECTED', `${message} (HTTP ${answer.statusCode})${advice}`, {
        context: { url, status: answer.statusCode, error: record.error },
      });
    }
    return parsed as T;
  }

  #headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    if (hasBody) headers['content-type'] = 'application/json';
    if (this.#token !== null) headers.authorization = `Bearer ${this.#token}`;
    return headers;
  }

  #unauthorizedAdvice(): string {
    if (this.#token !== null) return "the config's admin.token is not the running bridge's";
    return (
      this.#tokenHint ??
      'the bridge has admin.token set: run with the same config (--config FILE) and its variables'
    );
  }
}

function suffix(params: URLSearchParams): string {
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function describeNetworkError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timed out';
  return code ?? err.message;
}
