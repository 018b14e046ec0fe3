import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { buildResellerServer, type ResellerServerDeps } from '../../src/reseller/http/server.js';
import { readTlsFiles } from '../../src/reseller/http/tls-files.js';
import type { SqliteDatabase } from '../../src/store/database.js';
import { SqliteResellerStore } from '../../src/store/reseller-sqlite-store.js';
import { API_KEY, liveSimsOf, makeSims, openMigratedDb, tempDir } from './support/harness.js';

type App = ReturnType<typeof buildResellerServer>;

let db: SqliteDatabase | null = null;
let app: App | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await app?.close();
  db?.close();
  app = null;
  db = null;
});

function build(extra: Partial<ResellerServerDeps> = {}): App {
  db = openMigratedDb();
  app = buildResellerServer({
    apiKey: API_KEY,
    store: new SqliteResellerStore(db),
    sims: liveSimsOf(makeSims(2)),
    ...extra,
  });
  return app;
}

/** A raw TCP connection; resolves once connected. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** Resolves with what the server wrote once it closed the socket, or 'open' after `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const timer = setTimeout(() => resolve('open'), ms);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(`closed:${received}`);
    });
  });
}

const portOf = (url: string): number => Number(new URL(url).port);

describe('reseller endpoint: paths it does not serve', () => {
  it('answers another path or method with the protocol error shape, never echoing the URL or the key', async () => {
    build();
    const secretQuery = `/?action=GET_SERVICES&key=${API_KEY}`;
    for (const [method, url, status] of [
      ['GET', secretQuery, 405],
      ['GET', `/getNumber?key=${API_KEY}`, 405],
      ['GET', `/nowhere?key=${API_KEY}`, 404],
      ['POST', `/nowhere?key=${API_KEY}`, 404],
      ['PUT', `/getServices?key=${API_KEY}`, 405],
    ] as const) {
      const res = await app!.inject({ method, url });
      expect([method, url, res.statusCode]).toEqual([method, url, status]);
      expect(res.json()).toEqual({ status: 'ERROR', error: 'REQUEST_NOT_FOUND' });
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).not.toContain(API_KEY);
      expect(res.body).not.toContain('key=');
    }
  });
});

describe('reseller endpoint: socket limits', () => {
  it('closes a socket that sends its headers too slowly, and keeps serving others', async () => {
    build({ options: { limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 } } });
    const url = await app!.listen({ host: '127.0.0.1', port: 0 });
    const slow = await open(portOf(url));
    slow.write('POST / HTTP/1.1\r\nHost: farm.example\r\nContent-Type: application');
    // Generous against a loaded machine; the default without the limit would be minutes.
    const outcome = await closedWithin(slow, 5_000);
    expect(outcome).toMatch(/^closed:(HTTP\/1\.1 408|$)/);
    const res = await fetch(`${url}/`, {
      method: 'POST',
      body: JSON.stringify({ action: 'GET_SERVICES', key: API_KEY }),
    });
    expect(((await res.json()) as { status: string }).status).toBe('SUCCESS');
  });

  it('refuses connections over the cap at accept, and accepts again once one closes', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } });
    build({ log, options: { limits: { maxConnections: 2 } } });
    const port = portOf(await app!.listen({ host: '127.0.0.1', port: 0 }));
    const first = await open(port);
    const second = await open(port);
    const third = await open(port);
    expect(await closedWithin(third, 5_000)).toBe('closed:');
    expect(first.destroyed || second.destroyed).toBe(false);
    expect(lines.join('')).toContain('reseller connection cap reached');
    first.destroy();
    // The server counts the closed socket asynchronously: retry until a fourth one stays.
    let accepted = false;
    for (let attempt = 0; attempt < 50 && !accepted; attempt++) {
      const next = await open(port);
      accepted = (await closedWithin(next, 100)) === 'open';
    }
    expect(accepted).toBe(true);
  });
});

describe('reseller endpoint: access log', () => {
  it('writes one line per call with method, path, action, status and duration, and no key', async () => {
    const raw: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (l: string) => raw.push(l) } });
    const counted: Array<{ action: string; status: number }> = [];
    build({ log, onCall: ({ action, status }) => counted.push({ action, status }) });
    await app!.inject({
      method: 'POST',
      url: '/getServices?key=query-secret',
      headers: { authorization: `Bearer ${API_KEY}` },
      payload: JSON.stringify({ action: 'GET_SERVICES', key: API_KEY }),
    });
    await app!.inject({
      method: 'POST',
      url: '/',
      payload: JSON.stringify({ action: 'NOPE', key: 'wrong' }),
    });
    await app!.inject({ method: 'GET', url: `/?key=${API_KEY}` });
    const calls = raw.map((l) => JSON.parse(l)).filter((l) => l.msg === 'reseller call');
    expect(calls.map(({ method, path, action, status }) => ({ method, path, action, status }))).toEqual([
      { method: 'POST', path: '/getServices', action: 'GET_SERVICES', status: 200 },
      { method: 'POST', path: '/', action: 'UNKNOWN', status: 200 },
      { method: 'GET', path: '/', action: 'NONE', status: 405 },
    ]);
    for (const call of calls) expect(typeof call.ms).toBe('number');
    expect(counted).toEqual(calls.map(({ action, status }) => ({ action, status })));
    expect(raw.join('')).not.toContain(API_KEY);
    expect(raw.join('')).not.toContain('query-secret');
  });
});

const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));

describe('reseller endpoint: Node TLS', () => {
  it.skipIf(!OPENSSL)(
    'serves HTTPS with reseller.tls cert and key (needs openssl to make a test cert)',
    async () => {
      const dir = tempDir();
      try {
        const cert = join(dir.dir, 'cert.pem');
        const key = join(dir.dir, 'key.pem');
        execFileSync(
          OPENSSL as string,
          [
            'req',
            '-x509',
            '-newkey',
            'ec',
            '-pkeyopt',
            'ec_paramgen_curve:prime256v1',
            '-nodes',
            '-keyout',
            key,
            '-out',
            cert,
            '-days',
            '1',
            '-subj',
            '/CN=localhost',
            '-addext',
            'subjectAltName=DNS:localhost,IP:127.0.0.1',
          ],
          { stdio: 'ignore' },
        );
        const tls = await readTlsFiles({ cert, key });
        build({ tls });
        const url = await app!.listen({ host: '127.0.0.1', port: 0 });
        expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const answer = await new Promise<string>((resolve, reject) => {
          const req = httpsRequest(
            `${url}/`,
            { method: 'POST', ca: tls.cert, headers: { 'content-type': 'application/json' } },
            (res) => {
              let text = '';
              res.on('data', (c: Buffer) => {
                text += c.toString('utf8');
              });
              res.on('end', () => resolve(text));
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ action: 'GET_SERVICES', key: API_KEY }));
        });
        expect(JSON.parse(answer).status).toBe('SUCCESS');
        // A plain-HTTP request to the TLS port gets no answer in clear text.
        const plain = await fetch(url.replace('https:', 'http:')).then(
          () => 'answered',
          () => 'refused',
        );
        expect(plain).toBe('refused');
      } finally {
        dir.cleanup();
      }
    },
  );
  if (!OPENSSL) it.skip('TLS test skipped: install openssl to run it', () => {});

  it('names the key and the path of an unreadable TLS file', async () => {
    const dir = tempDir();
    try {
      const cert = join(dir.dir, 'cert.pem');
      writeFileSync(cert, 'not a cert');
      await expect(readTlsFiles({ cert, key: join(dir.dir, 'missing.pem') })).rejects.toThrow(
        /reseller\.tls\.key: cannot read .*missing\.pem \(ENOENT\)/,
      );
    } finally {
      dir.cleanup();
    }
  });
});
