import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { createLogger } from '../../src/log.js';
import { fakeAdminDeps } from '../browser/fake-admin-deps.js';

let app: HttpApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

function build(options: { allowedHosts?: string[]; lines?: string[] } = {}) {
  const listed: unknown[] = [];
  const deps = fakeAdminDeps({
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.lines
      ? {
          log: createLogger({ level: 'warn', destination: { write: (l: string) => options.lines?.push(l) } }),
        }
      : {}),
  });
  const list = deps.messages.list.bind(deps.messages);
  deps.messages.list = async (query) => {
    listed.push(query);
    return list(query);
  };
  app = buildAdminServer(deps);
  return { app, listed };
}

const get = (path: string, host: string) => app!.inject({ url: path, headers: { host } });

describe('admin API: Host header (DNS rebinding)', () => {
  it('refuses a foreign name that resolves to loopback with 421, before reading anything', async () => {
    const { listed } = build();
    for (const host of [
      'evil.example',
      'evil.example:8930',
      '127.0.0.1.evil.example',
      'localhost.evil.example',
    ]) {
      const res = await get('/api/messages', host);
      expect([host, res.statusCode]).toEqual([host, 421]);
      expect(res.json().error).toBe('HTTP_HOST_NOT_ALLOWED');
    }
    expect((await get('/', 'evil.example')).statusCode).toBe(421);
    expect((await get('/api/status', 'evil.example')).statusCode).toBe(421);
    expect(listed).toEqual([]);
  });

  it('answers loopback names and addresses, with or without a port', async () => {
    build();
    for (const host of [
      'localhost',
      'localhost:8930',
      '127.0.0.1:8930',
      '127.0.0.2',
      '[::1]:8930',
      'farm.localhost',
    ]) {
      expect([host, (await get('/api/messages', host)).statusCode]).toEqual([host, 200]);
    }
  });

  it('answers the names in admin.allowedHosts, in any case', async () => {
    build({ allowedHosts: ['farm.lan'] });
    expect((await get('/api/messages', 'FARM.LAN:8930')).statusCode).toBe(200);
    expect((await get('/api/messages', 'other.lan')).statusCode).toBe(421);
  });

  it('answers its listen address, and every interface address when it listens on all', async () => {
    const lines: string[] = [];
    build({ lines });
    await app!.listen({ host: '0.0.0.0', port: 0 });
    const external = Object.values(networkInterfaces())
      .flat()
      .find((info) => info && info.family === 'IPv4' && !info.internal);
    if (external) expect((await get('/api/messages', `${external.address}:8930`)).statusCode).toBe(200);
    expect((await get('/api/messages', 'evil.example')).statusCode).toBe(421);
  });
});

describe('admin API: exposure warning', () => {
  it('warns when it listens beyond loopback, and not on loopback', async () => {
    const lines: string[] = [];
    build({ lines });
    await app!.listen({ host: '127.0.0.1', port: 0 });
    expect(lines.join('')).not.toContain('beyond loopback');
    await app!.close();
    build({ lines });
    await app!.listen({ host: '0.0.0.0', port: 0 });
    const warning = lines.map((l) => JSON.parse(l)).find((l) => String(l.msg).includes('beyond loopback'));
    expect(warning?.level).toBe(40);
  });
});
