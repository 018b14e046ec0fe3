import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { PushClient } from '../../src/push/push-client.js';
import type { PushSmsBody } from '../../src/push/types.js';
import { startMockOnlinesim } from '../support/mock-onlinesim.js';

const BODY: PushSmsBody = {
  smsId: 1,
  phoneFrom: 'VK',
  phone: '79088081050',
  text: 'code 1',
  action: 'PUSH_SMS',
  key: 'k',
};
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function client(pushUrl: string, timeoutMs = 2_000): PushClient {
  const c = new PushClient({ pushUrl, apiKey: 'k', timeoutMs, connections: 2 });
  closers.push(() => c.close());
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** A bare HTTP server for answers the mock cannot give (a stalled body, a huge one). */
async function rawServer(handler: RequestListener): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer(handler);
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/PUSH_SMS`, connections: () => connections };
}

describe('PushClient', () => {
  it('returns any HTTP answer as is, with lower-case headers, and keeps the path and query', async () => {
    const server = await startMockOnlinesim({
      script: [{ status: 503, body: 'busy', headers: { 'Retry-After': '7' } }],
    });
    closers.push(() => server.close());
    const answer = await client(`${server.url}?x=1`).send(BODY);
    expect(answer).toMatchObject({ status: 503, bodyText: 'busy' });
    expect(answer.headers['retry-after']).toBe('7');
    expect(server.requests[0]?.url).toBe('/v1/PUSH_SMS?x=1');
  });

  it('answers 200 SUCCESS once the script is used up (mock default)', async () => {
    const server = await startMockOnlinesim({ script: [{ status: 500 }] });
    closers.push(() => server.close());
    const c = client(server.url);
    expect((await c.send(BODY)).status).toBe(500);
    expect(await c.send(BODY)).toMatchObject({ status: 200, bodyText: '{"status":"SUCCESS"}' });
  });

  it('maps a refused connection to PUSH_NETWORK with the cause kept', async () => {
    const server = await startMockOnlinesim();
    await server.close();
    const err = await rejection(client(server.url).send(BODY));
    expect(isGatewayError(err) && err.code).toBe('PUSH_NETWORK');
    expect((err.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('maps a silent server to PUSH_TIMEOUT', async () => {
    const server = await startMockOnlinesim({ script: [{ hang: true }] });
    closers.push(() => server.close());
    const err = await rejection(client(server.url, 100).send(BODY));
    expect(isGatewayError(err) && err.code).toBe('PUSH_TIMEOUT');
  });

  it('maps headers followed by a silent body to PUSH_TIMEOUT (BODY_TIMEOUT)', async () => {
    const server = await rawServer((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('{"status":');
    });
    const err = await rejection(client(server.url, 150).send(BODY));
    expect(isGatewayError(err) && err.code).toBe('PUSH_TIMEOUT');
    expect((err.cause as { code?: string }).code).toBe('BODY_TIMEOUT');
  });

  it('refuses an answer larger than maxResponseBytes as PUSH_NETWORK', async () => {
    const server = await rawServer((_request, response) => response.end('x'.repeat(4096)));
    const c = new PushClient({
      pushUrl: server.url,
      apiKey: 'k',
      timeoutMs: 2_000,
      connections: 1,
      maxResponseBytes: 1024,
    });
    closers.push(() => c.close());
    const err = await rejection(c.send(BODY));
    expect(isGatewayError(err) && err.code).toBe('PUSH_NETWORK');
    expect((err.cause as { code?: string }).code).toBe('RESPONSE_TOO_LARGE');
  });

  it('sends one request after another over one kept-alive connection', async () => {
    const server = await rawServer((request, response) => {
      request.resume();
      request.on('end', () => response.end('{"status":"SUCCESS"}'));
    });
    const c = client(server.url);
    for (let i = 0; i < 3; i++) expect((await c.send(BODY)).status).toBe(200);
    expect(server.connections()).toBe(1);
  });
});
