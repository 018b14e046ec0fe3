import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

/**
 * Onlinesim's side of the partner protocol (shared/protocol/onlinesim-reseller.md §3-§5), as a
 * scripted caller: every call goes over a real socket to the bridge's reseller endpoint and its
 * answer time (request sent to body read) is recorded, because Onlinesim drops any answer slower
 * than 10 s.
 */

export type ResellerAction = 'GET_SERVICES' | 'GET_NUMBER' | 'FINISH_ACTIVATION';

/** `operatorMap[operator][service] = count` (§3). */
export type OperatorMap = Record<string, Record<string, number>>;

export interface ServicesAnswer {
  status: string;
  countryList: { country: string; operatorMap: OperatorMap }[];
}

export interface NumberOrder {
  country: string;
  operator: string;
  service: string;
  sum?: number;
  exceptionPhoneSet?: readonly (string | number)[];
}

export type NumberAnswer =
  | { status: 'SUCCESS'; number: number | string; activationId: number }
  | { status: 'NO_NUMBERS' }
  | { status: 'ERROR'; error?: string };

export interface CallTiming {
  action: ResellerAction;
  ms: number;
  httpStatus: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** GET_NUMBER's `sum` (RUB) when the order names none. */
export const DEFAULT_OFFERED_SUM = 10;

export class ScriptedResellerClient {
  url: string;
  readonly #key: string;
  readonly #agent = new Agent({ connections: 128, pipelining: 0 });
  readonly timings: CallTiming[] = [];

  constructor(url: string, key: string) {
    this.url = url;
    this.#key = key;
  }

  getServices(): Promise<ServicesAnswer> {
    return this.#call('GET_SERVICES', {}) as Promise<ServicesAnswer>;
  }

  getNumber(order: NumberOrder): Promise<NumberAnswer> {
    return this.#call('GET_NUMBER', { sum: DEFAULT_OFFERED_SUM, ...order }) as Promise<NumberAnswer>;
  }

  finish(activationId: number, status: 1 | 3 | 4 | 5, sum?: number): Promise<{ status: string }> {
    const body = sum === undefined ? { activationId, status } : { activationId, status, sum };
    return this.#call('FINISH_ACTIVATION', body) as Promise<{ status: string }>;
  }

  /** p50/p99/max of the recorded answer times, per action and over all (`ALL`). */
  summary(): Record<ResellerAction | 'ALL', LatencySummary> {
    const of = (list: CallTiming[]): LatencySummary => {
      const sorted = list.map((t) => t.ms).sort((a, b) => a - b);
      return {
        count: sorted.length,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? Number.NaN,
      };
    };
    const only = (action: ResellerAction): CallTiming[] => this.timings.filter((t) => t.action === action);
    return {
      GET_SERVICES: of(only('GET_SERVICES')),
      GET_NUMBER: of(only('GET_NUMBER')),
      FINISH_ACTIVATION: of(only('FINISH_ACTIVATION')),
      ALL: of(this.timings),
    };
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  async #call(action: ResellerAction, fields: Record<string, unknown>): Promise<unknown> {
    const started = performance.now();
    const response = await request(`${this.url}/`, {
      method: 'POST',
      dispatcher: this.#agent,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'onlinesim-script/1' },
      body: JSON.stringify({ action, key: this.#key, ...fields }),
    });
    const text = await response.body.text();
    this.timings.push({ action, ms: performance.now() - started, httpStatus: response.statusCode });
    if (response.statusCode !== 200) {
      throw new Error(`${action} answered HTTP ${response.statusCode}: ${text}`);
    }
    return JSON.parse(text) as unknown;
  }
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** One line per action (and ALL) of `summary()`, for the session's printed latency report. */
export function formatLatencySummary(summary: Record<string, LatencySummary>): string {
  const line = (name: string, s: LatencySummary): string =>
    `${name.padEnd(18)} n=${String(s.count).padStart(3)} p50=${s.p50.toFixed(1)} ms p99=${s.p99.toFixed(1)} ms max=${s.max.toFixed(1)} ms`;
  return Object.entries(summary)
    .map(([name, s]) => line(name, s))
    .join('\n');
}
