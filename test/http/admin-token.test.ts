import { afterEach, describe, expect, it } from 'vitest';
import type { AdminAuthOptions } from '../../src/http/admin-auth.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import type { InjectOptions } from '../../src/http/core/inject.js';
import { createLogger } from '../../src/log.js';
import { type FakeAdmin, fakeAdminDeps } from '../browser/fake-admin-deps.js';

const TOKEN = 'Adm1n-t0ken-0123456789abcdef';
const BEARER = { authorization: `Bearer ${TOKEN}` };
const OPEN = { phone: '79161234567', operationId: 901, service: 'vk' };

let app: HttpApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

function build(auth: AdminAuthOptions, lines: string[] = []): { app: HttpApp; deps: FakeAdmin } {
  const log = createLogger({ level: 'trace', destination: { write: (line: string) => lines.push(line) } });
  const deps = fakeAdminDeps({ auth, log });
  app = buildAdminServer(deps);
  return { app, deps };
}

const call = (options: InjectOptions) => {
  if (!app) throw new Error('build first');
  return app.inject(options);
};
const openOperation = (headers: Record<string, string> = {}) =>
  call({ method: 'POST', url: '/api/operations', payload: OPEN, headers });
const endOperation = (id: number, headers: Record<string, string> = {}) =>
  call({ method: 'DELETE', url: `/api/operations/${id}`, headers });

describe('admin API with admin.token on loopback', () => {
  it('refuses state changes without the token: 401, the error shape, WWW-Authenticate: Bearer', async () => {
    const { deps } = build({ token: TOKEN });
    const before = JSON.stringify(deps.operationsList);
    for (const res of [await openOperation(), await endOperation(355)]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'HTTP_UNAUTHORIZED', message: expect.stringContaining('Bearer') });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    }
    expect(JSON.stringify(deps.operationsList)).toBe(before);
  });

  it('refuses a wrong token, a token of another scheme, a prefix and a longer one', async () => {
    const { deps } = build({ token: TOKEN });
    for (const authorization of [
      'Bearer wrong-token-0123456789abcdef',
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN} extra`,
      TOKEN,
      'Bearer',
    ]) {
      const res = await openOperation({ authorization });
      expect([authorization, res.statusCode]).toEqual([authorization, 401]);
      expect(res.json().error).toBe('HTTP_UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.body).not.toContain(TOKEN.slice(4));
    }
    expect(deps.operationsList.some((op) => op.id === OPEN.operationId)).toBe(false);
  });

  it('carries out state changes with the token (scheme in any case)', async () => {
    const { deps } = build({ token: TOKEN });
    const opened = await openOperation(BEARER);
    expect(opened.statusCode).toBe(201);
    expect(deps.operationsList[0]).toMatchObject({ id: OPEN.operationId, status: 'active' });
    expect((await endOperation(OPEN.operationId, { authorization: `bearer ${TOKEN}` })).statusCode).toBe(204);
    expect(deps.operationsList[0]?.status).toBe('finished');
  });

  it('refuses other non-GET calls before routing them, so no route is told', async () => {
    build({ token: TOKEN });
    const put = await call({ method: 'PUT', url: '/api/operations', payload: OPEN });
    expect(put.statusCode).toBe(401);
    const unknown = await call({ method: 'POST', url: '/api/nothing-here', payload: {} });
    expect(unknown.statusCode).toBe(401);
    expect(
      (await call({ method: 'POST', url: '/api/nothing-here', payload: {}, headers: BEARER })).statusCode,
    ).toBe(404);
  });

  it('keeps reads and the status page open without the token', async () => {
    build({ token: TOKEN });
    for (const url of ['/', '/api/status', '/api/modems', '/api/operations', '/api/messages', '/healthz']) {
      expect([url, (await call({ url })).statusCode]).toEqual([url, 200]);
    }
    const page = await call({ url: '/' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('never writes the token to the log, sent right or wrong', async () => {
    const lines: string[] = [];
    build({ token: TOKEN }, lines);
    await openOperation(BEARER);
    await openOperation({ authorization: `Bearer ${TOKEN}-wrong` });
    await call({ url: '/api/operations', headers: BEARER });
    const log = lines.join('');
    expect(log).toContain('without the right token');
    expect(log).not.toContain(TOKEN);
  });
});

describe('admin API with admin.token beyond loopback', () => {
  it('needs the token for every read but /healthz', async () => {
    build({ token: TOKEN, readsNeedToken: true });
    for (const url of ['/', '/api/status', '/api/modems', '/api/operations', '/api/messages', '/metrics']) {
      const res = await call({ url });
      expect([url, res.statusCode]).toEqual([url, 401]);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    }
    expect((await call({ url: '/healthz' })).statusCode).toBe(200);
    expect((await call({ url: '/api/status', headers: BEARER })).statusCode).toBe(200);
    expect((await openOperation(BEARER)).statusCode).toBe(201);
  });

  it('guards reads once it binds a non-loopback address, even if not told to', async () => {
    const lines: string[] = [];
    build({ token: TOKEN }, lines);
    expect((await call({ url: '/api/messages' })).statusCode).toBe(200);
    await app?.listen({ host: '0.0.0.0', port: 0 });
    expect((await call({ url: '/api/messages' })).statusCode).toBe(401);
    expect((await call({ url: '/api/messages', headers: BEARER })).statusCode).toBe(200);
    const warning = lines.map((l) => JSON.parse(l)).find((l) => String(l.msg).includes('beyond loopback'));
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toContain('needs admin.token');
  });
});

describe('admin API without admin.token', () => {
  it('checks nothing on loopback, as before', async () => {
    build({});
    expect((await openOperation()).statusCode).toBe(201);
    expect((await call({ url: '/api/operations' })).statusCode).toBe(200);
  });
});
