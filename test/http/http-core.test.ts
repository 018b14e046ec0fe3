import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { fakeAdminDeps } from '../browser/fake-admin-deps.js';

let app: HttpApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

/** A chunked POST (no Content-Length), so the limit applies while reading. */
function postChunked(url: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/operations`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('admin HTTP core', () => {
  it('answers HEAD on a GET route without a body, and 405 with Allow on a path served with other methods', async () => {
    app = buildAdminServer(fakeAdminDeps());
    const head = await app.inject({ method: 'HEAD', url: '/healthz' });
    expect([head.statusCode, head.body]).toEqual([200, '']);
    const wrong = await app.inject({ method: 'PUT', url: '/api/operations' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('POST, GET');
    expect(wrong.json().error).toBe('HTTP_METHOD_NOT_ALLOWED');
  });

  it('stops reading a chunked body at the limit and answers 413', async () => {
    app = buildAdminServer({ ...fakeAdminDeps(), bodyLimitBytes: 1024 });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const res = await postChunked(url, ['{"phone":"', 'x'.repeat(800), 'x'.repeat(800), '"}']);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toBe('HTTP_BODY_TOO_LARGE');
    const small = await postChunked(url, ['{"phone":"79088081050",', '"operationId":9,"service":"vk"}']);
    expect(small.status).toBe(409);
  });
});
