import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { buildResellerServer } from '../../src/reseller/http/server.js';
import type { LiveSim } from '../../src/reseller/live-sims.js';
import type { SqliteDatabase } from '../../src/store/database.js';
import { SqliteResellerStore } from '../../src/store/reseller-sqlite-store.js';
import { API_KEY, liveSimsOf, makeSims, openMigratedDb, tempDir } from '../reseller/support/harness.js';

type Answer = Record<string, unknown>;

/** The partner endpoint on a real socket, over a file database, as the daemon runs it. */
class RunningEndpoint {
  db!: SqliteDatabase;
  app!: HttpApp;
  url = '';

  constructor(
    readonly path: string,
    readonly sims: LiveSim[],
  ) {}

  async start(): Promise<void> {
    this.db = openMigratedDb(this.path);
    this.app = buildResellerServer({
      apiKey: API_KEY,
      store: new SqliteResellerStore(this.db),
      sims: liveSimsOf(this.sims),
    });
    this.url = await this.app.listen({ host: '127.0.0.1', port: 0 });
  }

  async stop(): Promise<void> {
    await this.app.close();
    this.db.close();
  }
}

describe('reseller endpoint over a real socket', () => {
  let dir: ReturnType<typeof tempDir>;
  let endpoint: RunningEndpoint;
  let agent: Agent;

  beforeEach(() => {
    dir = tempDir();
    agent = new Agent({ connections: 128 });
  });
  afterEach(async () => {
    await endpoint?.stop().catch(() => undefined);
    await agent.close();
    dir.cleanup();
  });

  async function post(body: Answer, path = '/', headers: Record<string, string> = {}): Promise<Answer> {
    const res = await request(`${endpoint.url}${path}`, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'onlinesim-test',
        ...headers,
      },
      body: JSON.stringify({ key: API_KEY, ...body }),
    });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return (await res.body.json()) as Answer;
  }

  it('gives 100 concurrent GET_NUMBER calls over 10 eligible SIMs exactly 10 distinct numbers', async () => {
    endpoint = new RunningEndpoint(join(dir.dir, 'simbridge.db'), [
      ...makeSims(10),
      ...makeSims(4, { registered: false }, 10),
    ]);
    await endpoint.start();
    const order = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 12 };
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => post(order, i % 2 ? '/getNumber' : '/')),
    );
    const sold = answers.filter((a) => a.status === 'SUCCESS');
    expect(sold).toHaveLength(10);
    expect(answers.filter((a) => a.status === 'NO_NUMBERS')).toHaveLength(90);
    expect(new Set(sold.map((a) => a.number)).size).toBe(10);
    expect(sold.map((a) => a.activationId).sort((x, y) => Number(x) - Number(y))).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    const services = await post({ action: 'GET_SERVICES' });
    expect(services).toMatchObject({ countryList: [{ operatorMap: { any: { vk: 0, instagram: 0 } } }] });
  });

  it('keeps ids, busy SIMs and sold pairs across a restart, and never repeats an id', async () => {
    endpoint = new RunningEndpoint(join(dir.dir, 'simbridge.db'), makeSims(3));
    await endpoint.start();
    const order = { action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 12 };
    const first = await post(order);
    const second = await post(order);
    await post({ action: 'FINISH_ACTIVATION', activationId: first.activationId, status: 3 });
    await endpoint.stop();

    await endpoint.start();
    // first: sold for vk; second: still busy; the third SIM is free.
    expect(await post({ action: 'GET_SERVICES' })).toMatchObject({
      countryList: [{ operatorMap: { any: { vk: 1, instagram: 2 } } }],
    });
    const third = await post(order);
    expect(third.activationId).toBe(3);
    expect(await post(order)).toEqual({ status: 'NO_NUMBERS' });
    // A FINISH repeated after the restart is still SUCCESS.
    expect(await post({ action: 'FINISH_ACTIVATION', activationId: first.activationId, status: 3 })).toEqual({
      status: 'SUCCESS',
    });
    await post({ action: 'FINISH_ACTIVATION', activationId: second.activationId, status: 4 });
    expect((await post(order)).activationId).toBe(4);
  });

  it('accepts gzip bodies and a Bearer key from a real client', async () => {
    endpoint = new RunningEndpoint(join(dir.dir, 'simbridge.db'), makeSims(2));
    await endpoint.start();
    const res = await request(`${endpoint.url}/getServices`, {
      method: 'POST',
      dispatcher: agent,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-encoding': 'gzip',
        authorization: `Bearer ${API_KEY}`,
      },
      body: gzipSync(JSON.stringify({ action: 'GET_SERVICES' })),
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ status: 'SUCCESS', countryList: [{ country: 'russia' }] });
  });

  it('runs a scripted Onlinesim session over many SIMs and services with consistent counts', async () => {
    const sims = [
      ...makeSims(6),
      ...makeSims(4, { country: 'germany', operator: 'vodafone', services: ['vk', 'telegram'] }, 6).map(
        (sim, i) => ({
          ...sim,
          phone: `4915100000${i}`,
        }),
      ),
    ];
    endpoint = new RunningEndpoint(join(dir.dir, 'simbridge.db'), sims);
    await endpoint.start();
    const count = async (country: string, service: string): Promise<number> => {
      const answer = await post({ action: 'GET_SERVICES' });
      const list = answer.countryList as Array<{
        country: string;
        operatorMap: Record<string, Record<string, number>>;
      }>;
      return list.find((c) => c.country === country)?.operatorMap.any?.[service] ?? 0;
    };
    expect(await count('russia', 'vk')).toBe(6);
    expect(await count('germany', 'telegram')).toBe(4);
    const orders = [
      ...Array.from({ length: 6 }, () => ({ country: 'russia', service: 'vk' })),
      ...Array.from({ length: 4 }, () => ({ country: 'germany', service: 'telegram' })),
    ];
    const sold = await Promise.all(
      orders.map((o) => post({ action: 'GET_NUMBER', operator: 'any', sum: 7, ...o })),
    );
    expect(sold.every((a) => a.status === 'SUCCESS')).toBe(true);
    expect(new Set(sold.map((a) => a.number)).size).toBe(10);
    expect(await count('russia', 'vk')).toBe(0);
    expect(await count('germany', 'vk')).toBe(0);
    // Finish: russia half sold, half cancelled; germany all cancelled.
    await Promise.all(
      sold.map((a, i) =>
        post({ action: 'FINISH_ACTIVATION', activationId: a.activationId, status: i < 3 ? 3 : 4, sum: 7 }),
      ),
    );
    expect(await count('russia', 'vk')).toBe(3);
    expect(await count('russia', 'instagram')).toBe(6);
    expect(await count('germany', 'telegram')).toBe(4);
  });
});
