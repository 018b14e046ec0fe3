import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import type { AdminDeps, AdminOperation, HealthFacts } from '../../src/http/admin-deps.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { Counter, Registry } from '../../src/http/prometheus/index.js';
import { createLogger } from '../../src/log.js';
import type { ModemSnapshot } from '../../src/modem/types.js';

const MODEM: ModemSnapshot = {
  port: '/dev/gsm/usb-1.2',
  state: 'ready',
  identity: {
    manufacturer: 'huawei',
    model: 'E3372',
    revision: '22.200',
    imei: '861234567890123',
    imsi: '250011234567890',
    iccid: '89701012345678901234',
    vendor: 'huawei',
  },
  operator: 'MTS',
  signal: 17,
  registered: true,
  lastSmsAt: '2026-11-24T12:00:00.000Z',
  storageUsed: 1,
  storageTotal: 20,
  resets: 0,
  reconnects: 2,
};

const HEALTHY: HealthFacts = {
  storeWritable: true,
  modemsOnline: 1,
  outboxOldestPendingAgeMs: null,
  outboxDepth: 0,
};

/** In-memory operations with the store's error codes. */
function fakeDeps(
  overrides: Partial<AdminDeps> = {},
): AdminDeps & { ops: AdminOperation[]; listCalls: unknown[] } {
  const ops: AdminOperation[] = [];
  const listCalls: unknown[] = [];
  return {
    ops,
    listCalls,
    modems: () => [
      MODEM,
      { ...MODEM, port: '/dev/gsm/usb-1.3', state: 'opening', identity: null, registered: false },
    ],
    phoneFor: ({ iccid }) => (iccid === '89701012345678901234' ? '79088081050' : null),
    isKnownPhone: (phone) => phone.startsWith('7908'),
    operations: {
      async create(input) {
        if (ops.some((o) => o.id === input.operationId)) {
          throw new GatewayError(
            'STORE_OPERATION_ID_USED',
            `operation id ${input.operationId} is already used`,
          );
        }
        for (const o of ops) if (o.phone === input.phone) o.status = 'finished';
        const op = { id: input.operationId, phone: input.phone, service: input.service, status: 'active' };
        ops.push(op);
        return op;
      },
      async end(id) {
        const op = ops.find((o) => o.id === id);
        if (!op) throw new GatewayError('STORE_OPERATION_NOT_FOUND', `operation ${id} not found`);
        op.status = 'finished';
        return op;
      },
      async list({ activeOnly, limit }) {
        listCalls.push({ activeOnly, limit });
        return ops.filter((o) => !activeOnly || o.status === 'active');
      },
    },
    messages: {
      async list(query) {
        listCalls.push(query);
        return [{ id: 1, status: query.status ?? 'delivered', multipart: { complete: true } }];
      },
    },
    health: async () => HEALTHY,
    ...overrides,
  };
}

let app: HttpApp;
afterEach(async () => {
  await app?.close();
});

function build(deps: AdminDeps): HttpApp {
  app = buildAdminServer(deps);
  return app;
}

const post = (body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/operations',
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('GET /healthz', () => {
  it('200 ok when the store is writable, with warnings for no modem and a stuck outbox', async () => {
    build(fakeDeps());
    const ok = await app.inject('/healthz');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'ok',
      storeWritable: true,
      modemsOnline: 1,
      outboxDepth: 0,
      warnings: [],
    });
    await app.close();
    build(
      fakeDeps({
        health: async () => ({ storeWritable: true, modemsOnline: 0, outboxOldestPendingAgeMs: 3_600_000 }),
      }),
    );
    const warn = await app.inject('/healthz');
    expect(warn.statusCode).toBe(200);
    expect(warn.json().warnings).toEqual(['no modem is online', 'the oldest pending push is 3600 s old']);
  });

  it('503 when the store does not accept writes, or the check throws', async () => {
    build(
      fakeDeps({
        health: async () => ({ storeWritable: false, modemsOnline: 2, outboxOldestPendingAgeMs: null }),
      }),
    );
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'unavailable',
      warnings: ['the store does not accept writes'],
    });
    await app.close();
    build(fakeDeps({ health: async () => Promise.reject(new Error('SQLITE_READONLY')) }));
    expect((await app.inject('/healthz')).statusCode).toBe(503);
  });
});

describe('GET /metrics', () => {
  it('serves the registry in Prometheus text format', async () => {
    const registry = new Registry();
    new Counter({ name: 'simbridge_test_total', help: 'test', registers: [registry] }).inc(3);
    build(fakeDeps({ metrics: registry }));
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('simbridge_test_total 3');
  });

  it('404 when no registry is configured', async () => {
    build(fakeDeps());
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'HTTP_NOT_FOUND', message: 'metrics are not enabled' });
  });
});

describe('GET /api/modems', () => {
  it('lists exactly the contract fields, with the phone from the SIM map', async () => {
    build(fakeDeps());
    const res = await app.inject('/api/modems');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      {
        port: '/dev/gsm/usb-1.2',
        state: 'ready',
        imei: '861234567890123',
        imsi: '250011234567890',
        iccid: '89701012345678901234',
        phone: '79088081050',
        operator: 'MTS',
        signal: 17,
        registered: true,
        lastSmsAt: '2026-11-24T12:00:00.000Z',
        health: 'healthy',
        healthReason: null,
      },
      {
        port: '/dev/gsm/usb-1.3',
        state: 'opening',
        imei: null,
        imsi: null,
        iccid: null,
        phone: null,
        operator: 'MTS',
        signal: 17,
        registered: false,
        lastSmsAt: '2026-11-24T12:00:00.000Z',
        health: 'healthy',
        healthReason: null,
      },
    ]);
  });
});

describe('POST /api/operations', () => {
  const valid = { phone: '79088081050', operationId: 355, service: 'instagram' };

  it('201 with the operation; a second one on the phone is refused unless it asks to replace', async () => {
    const deps = fakeDeps();
    build(deps);
    const res = await post(valid);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: 355, phone: '79088081050', service: 'instagram', status: 'active' });
    const refused = await post({ ...valid, operationId: 356 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({
      error: 'HTTP_OPERATION_ACTIVE',
      message:
        'phone 79088081050 has the live operation 355 (instagram); end it first (simbridge ops end 355) ' +
        'or send "replace": true to end it and start this one',
    });
    expect(deps.ops.map((o) => o.status)).toEqual(['active']);
    expect((await post({ ...valid, operationId: 356, replace: false })).statusCode).toBe(409);
    expect((await post({ ...valid, operationId: 356, replace: true })).statusCode).toBe(201);
    expect(deps.ops.map((o) => o.status)).toEqual(['finished', 'active']);
  });

  it('uses the direct lookup of the live operation when the deps offer one', async () => {
    const asked: string[] = [];
    const deps = fakeDeps();
    deps.operations.activeForPhone = async (phone) => {
      asked.push(phone);
      return { id: 7, phone, service: 'vk', status: 'active' };
    };
    build(deps);
    expect((await post(valid)).json().error).toBe('HTTP_OPERATION_ACTIVE');
    expect(asked).toEqual(['79088081050']);
    expect(deps.listCalls).toEqual([]);
  });

  it('409 when the id was used', async () => {
    build(fakeDeps());
    await post(valid);
    const res = await post({ ...valid, phone: '79088081051' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: 'HTTP_OPERATION_ID_USED',
      message: 'operation id 355 is already used',
    });
  });

  it.each([
    ['phone with +', { ...valid, phone: '+79088081050' }, 'phone: expected 7 to 15 digits, no "+"'],
    ['phone as number', { ...valid, phone: 79088081050 }, 'phone: expected string, got number'],
    ['missing operationId', { phone: valid.phone, service: 'vk' }, 'operationId: required'],
    ['operationId as string', { ...valid, operationId: '355' }, 'operationId: expected number, got string'],
    ['operationId 0', { ...valid, operationId: 0 }, 'operationId: expected an integer from 1 to 2147483647'],
    ['operationId fraction', { ...valid, operationId: 3.5 }, 'operationId: expected integer, got float'],
    [
      'operationId above int32',
      { ...valid, operationId: 2 ** 31 },
      'operationId: expected an integer from 1 to 2147483647',
    ],
    ['empty service', { ...valid, service: '  ' }, 'service: must not be empty'],
    ['unknown field', { ...valid, sum: 4 }, 'unknown field(s) "sum"'],
    ['array body', [valid], 'body: expected object, got array'],
  ])('400 on %s', async (_name, body, message) => {
    build(fakeDeps());
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'HTTP_BAD_REQUEST', message });
  });

  it('400 on a phone that is not in the SIM map', async () => {
    build(fakeDeps());
    const res = await post({ ...valid, phone: '49170000000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('HTTP_UNKNOWN_PHONE');
  });

  it('400 on malformed or empty JSON', async () => {
    build(fakeDeps());
    const bad = await post('{"phone": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'HTTP_INVALID_JSON', message: 'the body is not valid JSON' });
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('HTTP_INVALID_JSON');
  });

  it('415 on a body that is not JSON, 413 over the size limit', async () => {
    build(fakeDeps());
    const form = await post('phone=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.statusCode).toBe(415);
    expect(form.json().error).toBe('HTTP_UNSUPPORTED_MEDIA_TYPE');
    const big = await post({ ...valid, service: 'x'.repeat(17 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({ error: 'HTTP_BODY_TOO_LARGE', message: 'request body too large' });
  });

  it('500 with a generic message (and a log line) when the store fails', async () => {
    const lines: string[] = [];
    const deps = fakeDeps({
      log: createLogger({ level: 'error', destination: { write: (l: string) => lines.push(l) } }),
    });
    deps.operations.create = async () => {
      throw new GatewayError('STORE_FAILED', 'disk I/O error');
    };
    build(deps);
    const res = await post(valid);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'HTTP_INTERNAL', message: 'internal error; see the log' });
    expect(lines.join('')).toContain('STORE_FAILED');
  });
});

describe('DELETE /api/operations/:operationId', () => {
  it('204 for a known id (again 204 once finished), 404 for an unknown one', async () => {
    build(fakeDeps());
    await post({ phone: '79088081050', operationId: 355, service: 'vk' });
    const res = await app.inject({ method: 'DELETE', url: '/api/operations/355' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await app.inject({ method: 'DELETE', url: '/api/operations/355' })).statusCode).toBe(204);
    const missing = await app.inject({ method: 'DELETE', url: '/api/operations/356' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'HTTP_OPERATION_NOT_FOUND', message: 'operation 356 not found' });
  });

  it('404 when end() answers false', async () => {
    const deps = fakeDeps();
    deps.operations.end = async () => false;
    build(deps);
    expect((await app.inject({ method: 'DELETE', url: '/api/operations/9' })).statusCode).toBe(404);
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999'])('400 on id %s', async (id) => {
    build(fakeDeps());
    const res = await app.inject({ method: 'DELETE', url: `/api/operations/${id}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('HTTP_BAD_REQUEST');
  });
});

describe('GET /api/operations', () => {
  it('lists all, or only the active ones with ?active=true', async () => {
    build(fakeDeps());
    await post({ phone: '79088081050', operationId: 1, service: 'vk' });
    await post({ phone: '79088081050', operationId: 2, service: 'vk', replace: true });
    const all = await app.inject('/api/operations');
    expect(all.json<AdminOperation[]>().map((o) => o.id)).toEqual([1, 2]);
    const active = await app.inject('/api/operations?active=true');
    expect(active.json()).toEqual([{ id: 2, phone: '79088081050', service: 'vk', status: 'active' }]);
  });

  it.each(['active=yes', 'limit=0', 'limit=5000', 'bogus=1'])('400 on ?%s', async (query) => {
    build(fakeDeps());
    const res = await app.inject(`/api/operations?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('HTTP_BAD_REQUEST');
  });
});

describe('GET /api/messages', () => {
  it('passes the status filter and limit through', async () => {
    const deps = fakeDeps();
    build(deps);
    const res = await app.inject('/api/messages?status=no_operation&limit=5');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([{ id: 1, status: 'no_operation', multipart: { complete: true } }]);
    await app.inject('/api/messages');
    expect(deps.listCalls).toEqual([{ status: 'no_operation', limit: 5 }, { limit: 100 }]);
  });

  it('400 on an unknown status, naming the accepted ones', async () => {
    build(fakeDeps());
    const res = await app.inject('/api/messages?status=sent');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^status: .*'pending'.*'delivered'/);
  });
});

describe('unknown routes', () => {
  it('404 as JSON', async () => {
    build(fakeDeps());
    const res = await app.inject('/api/nothing?x=1');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'HTTP_NOT_FOUND', message: 'no route GET /api/nothing' });
  });
});
