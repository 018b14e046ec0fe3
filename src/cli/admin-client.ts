import { existsSync, readFileSync } from 'node:fs';
import { type Dispatcher, request } from 'undici';
import { parse } from 'yaml';
import { parseListenAddress, resolveConfigPath } from '../config/index.js';
import { DEFAULT_ADMIN_LISTEN } from '../config/schema.js';
import { GatewayError, toError } from '../errors.js';
import type { EarningsReport } from '../reseller/earnings-report.js';

/**
 * A small client of the admin HTTP API (CONTRACT.md §3) for `simbridge messages` and
 * `simbridge ops`. Failures are `GatewayError`s a command can print as they are:
 * - `CLI_ADMIN_UNREACHABLE`: nothing answers at the URL (is `simbridge run` running?);
 * - `CLI_ADMIN_REJECTED`: the API answered an error (`status` and the API's `error` code in
 *   `context`);
 * - `CLI_ADMIN_BAD_ANSWER`: the answer is not the JSON expected (another program on the port?).
 */

export const DEFAULT_ADMIN_URL = `http://${DEFAULT_ADMIN_LISTEN}`;

export interface AdminClientOptions {
  /** `http://host:port`, no trailing path. */
  baseUrl: string;
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

  constructor(options: AdminClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_ADMIN_TIMEOUT_MS;
    this.#dispatcher = options.dispatcher;
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

  async endOperation(operationId: number): Promise<void> {
    await this.#json<unknown>('DELETE', `/api/operations/${operationId}`);
  }

  async #json<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
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
      throw new GatewayError('CLI_ADMIN_REJECTED', `${message} (HTTP ${answer.statusCode})`, {
        context: { url, status: answer.statusCode, error: record.error },
      });
    }
    return parsed as T;
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

/**
 * The admin URL a view command talks to: `--admin`, else `admin.listen` of the configuration
 * (`--config`, `$SIMBRIDGE_CONFIG`, `./config/simbridge.yaml`), else `http://127.0.0.1:8930`.
 * Only `admin.listen` is read from the file, without full validation: a view must work without
 * the daemon's secrets in the environment. A wildcard listen (`0.0.0.0`, `::`) is reached on
 * loopback.
 */
export function resolveAdminUrl(
  flags: { admin?: string | undefined; config?: string | undefined },
  env: NodeJS.ProcessEnv,
): string {
  if (flags.admin !== undefined && flags.admin !== '') {
    return /^https?:\/\//.test(flags.admin) ? flags.admin : `http://${flags.admin}`;
  }
  const path = resolveConfigPath(flags.config, env);
  const explicit = flags.config !== undefined || (env.SIMBRIDGE_CONFIG ?? '') !== '';
  if (!explicit && !existsSync(path)) return DEFAULT_ADMIN_URL;
  let listen: unknown;
  try {
    const tree = parse(readFileSync(path, 'utf8')) as { admin?: { listen?: unknown } } | null;
    listen = tree?.admin?.listen;
  } catch (err) {
    throw new GatewayError('CLI_CONFIG_UNREADABLE', `cannot read admin.listen from ${path}`, {
      cause: err,
      context: { path },
    });
  }
  if (typeof listen !== 'string') return DEFAULT_ADMIN_URL;
  const { host, port } = parseListenAddress(listen);
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
