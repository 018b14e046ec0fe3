import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeSystem } from '../../src/cli/doctor/system.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import { fakeAdminDeps } from '../browser/fake-admin-deps.js';

/** The real probes on this machine, against local servers only. */
describe('nodeSystem', () => {
  const system = nodeSystem({ networkTimeoutMs: 2_000, execTimeoutMs: 2_000 });
  let dir: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'simbridge-doctor-sys-'));
    server = createServer((req, res) => {
      res.statusCode = req.method === 'HEAD' ? 405 : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a probe file in a directory and leaves nothing behind', async () => {
    expect(await system.tryWriteIn(dir)).toBeNull();
    expect(await system.tryWriteIn(join(dir, 'missing'))).toBe('ENOENT');
    expect(await system.nearestExisting(join(dir, 'a', 'b', 'c.db'))).toBe(dir);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports errno codes for access and null for a program that does not exist', async () => {
    expect(await system.accessReadWrite(join(dir, 'nope'))).toBe('ENOENT');
    expect((await system.exec('simbridge-no-such-program', [])).code).toBeNull();
    expect((await system.exec('true', [])).code).toBe(0);
    // This very process is running, whatever name it goes by (`node`, `node (vitest 1)`, ...).
    expect(await system.processNames()).toContain(readFileSync('/proc/self/comm', 'utf8').trim());
  });

  it('probes HTTP without a body and reports connection errors by code', async () => {
    expect(await system.httpProbe(`http://127.0.0.1:${port}/push`, 'HEAD')).toEqual({
      kind: 'answer',
      status: 405,
    });
    expect(await system.httpProbe(`http://127.0.0.1:${port}/push`, 'GET')).toEqual({
      kind: 'answer',
      status: 404,
    });
    const closed = await system.httpProbe('http://127.0.0.1:1/', 'GET');
    expect(closed).toMatchObject({ kind: 'error', code: 'ECONNREFUSED' });
  });

  it('tells a free port, one simbridge serves, and one another program holds', async () => {
    const app = buildAdminServer(fakeAdminDeps());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const adminPort = (app.server.address() as { port: number }).port;
    try {
      expect(await system.probeListen('127.0.0.1', adminPort)).toEqual({ kind: 'in-use', simbridge: true });
      expect(await system.probeListen('127.0.0.1', port)).toEqual({ kind: 'in-use', simbridge: false });
    } finally {
      await app.close();
    }
    expect(await system.probeListen('127.0.0.1', adminPort)).toEqual({ kind: 'free' });
  });
});
