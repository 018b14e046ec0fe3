import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import type { StatusDocument } from '../../src/http/status-page.js';
import { fakeAdminDeps, message } from '../browser/fake-admin-deps.js';

let app: HttpApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('status page', () => {
  it('serves one self-contained HTML document at / with a strict CSP', async () => {
    app = buildAdminServer(fakeAdminDeps({ statusPage: { refreshMs: 500 } }));
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).toContain('data-refresh-ms="500"');
    // No external asset: nothing is loaded from anywhere but the page itself.
    expect(res.body).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(res.body).not.toContain('innerHTML');
    expect(res.body.length).toBeLessThan(20_000);
  });

  it('answers /api/status with modems, their active operation, messages and the outbox', async () => {
    app = buildAdminServer(fakeAdminDeps());
    const res = await app.inject({ method: 'GET', url: '/api/status' });
    expect(res.statusCode).toBe(200);
    const body = res.json<StatusDocument>();
    expect(body.modems.map((m) => [m.port, m.state, m.phone, m.activeOperation])).toEqual([
      ['/dev/gsm/usb-1.2', 'ready', '79088081050', { id: 355, service: 'instagram' }],
      ['/dev/gsm/usb-1.3', 'ready', '79161234567', null],
      ['/dev/gsm/usb-1.4', 'recovering', null, null],
    ]);
    expect(body.messages[0]).toEqual({
      id: 2,
      status: 'delivered',
      receivedAt: '2026-11-24T12:00:02.000Z',
      port: '/dev/gsm/usb-1.2',
      phone: '79088081050',
      sender: 'Instagram',
      text: 'Your code is 800102',
      operationId: 355,
      push: { state: 'delivered', attempts: 1 },
      multipart: null,
    });
    expect(JSON.stringify(body)).not.toContain('rawPdu');
    expect(body.outbox).toEqual({ depth: 1, oldestPendingAgeMs: 42_000 });
    expect(body.operations).toEqual({ open: 1 });
    expect(body.health).toEqual({ status: 'ok', storeWritable: true, modemsOnline: 2, warnings: [] });
    expect(body.errors).toEqual([]);
  });

  it('keeps the other parts when one dep fails, and names the failed part', async () => {
    const deps = fakeAdminDeps();
    deps.messages.list = async () => {
      throw new Error('SQLITE_BUSY');
    };
    deps.health = async () => ({
      storeWritable: false,
      modemsOnline: 0,
      outboxOldestPendingAgeMs: 3_600_000,
    });
    app = buildAdminServer(deps);
    const body = (await app.inject({ method: 'GET', url: '/api/status' })).json<StatusDocument>();
    expect(body.modems).toHaveLength(3);
    expect(body.messages).toEqual([]);
    expect(body.errors).toEqual(['messages unavailable']);
    expect(body.outbox).toEqual({ depth: null, oldestPendingAgeMs: 3_600_000 });
    expect(body.health.status).toBe('unavailable');
    expect(body.health.warnings).toEqual([
      'the store does not accept writes',
      'no modem is online',
      'the oldest pending push is 3600 s old',
    ]);
  });

  it('limits the recent messages to the configured count', async () => {
    const deps = fakeAdminDeps({ statusPage: { messagesLimit: 3 } });
    deps.messagesList.splice(0, deps.messagesList.length, ...[10, 9, 8, 7, 6].map((id) => message(id)));
    app = buildAdminServer(deps);
    const body = (await app.inject({ method: 'GET', url: '/api/status' })).json<StatusDocument>();
    expect(body.messages.map((m) => m.id)).toEqual([10, 9, 8]);
  });
});
