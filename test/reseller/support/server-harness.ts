import type { HttpApp } from '../../../src/http/core/http-app.js';
import type { InjectResponse } from '../../../src/http/core/inject.js';
import { createLogger } from '../../../src/log.js';
import { buildResellerServer, type ResellerServerOptions } from '../../../src/reseller/http/server.js';
import type { LiveSim } from '../../../src/reseller/live-sims.js';
import type { RentOptions } from '../../../src/reseller/rent-service.js';
import type { SqliteDatabase } from '../../../src/store/database.js';
import { SqliteResellerStore } from '../../../src/store/reseller-sqlite-store.js';
import { API_KEY, liveSimsOf, makeSims, openMigratedDb } from './harness.js';

export interface ServerHarness {
  app: HttpApp;
  db: SqliteDatabase;
  store: SqliteResellerStore;
  sims: LiveSim[];
  /** Every log line written, as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  rawLog: string[];
  post(body: unknown, init?: { path?: string; headers?: Record<string, string> }): Promise<InjectResponse>;
  /** POST with the body key added; returns the parsed answer. */
  call(body: Record<string, unknown>, path?: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export function startHarness(
  sims: LiveSim[] = makeSims(4),
  options: Partial<ResellerServerOptions> = {},
  dbPath = ':memory:',
  extra: { rent?: RentOptions } = {},
): ServerHarness {
  const db = openMigratedDb(dbPath);
  const store = new SqliteResellerStore(db);
  const rawLog: string[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => rawLog.push(line) } });
  let clock = 1_000;
  const app = buildResellerServer({
    apiKey: API_KEY,
    store,
    sims: liveSimsOf(sims),
    log,
    now: () => clock++,
    options,
    ...(extra.rent ? { rent: extra.rent } : {}),
  });
  const post: ServerHarness['post'] = (body, init = {}) =>
    app.inject({
      method: 'POST',
      url: init.path ?? '/',
      headers: { 'content-type': 'application/json', ...init.headers },
      payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
  return {
    app,
    db,
    store,
    sims,
    rawLog,
    get logs() {
      return rawLog.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    post,
    async call(body, path) {
      const res = await post({ key: API_KEY, ...body }, { path });
      return res.json();
    },
    async close() {
      await app.close();
      db.close();
    },
  };
}

/** `operatorMap` of the first country of a GET_SERVICES answer. */
export function operatorMapOf(answer: Record<string, unknown>): Record<string, Record<string, number>> {
  const list = answer.countryList as Array<{ operatorMap: Record<string, Record<string, number>> }>;
  return list[0]?.operatorMap ?? {};
}
