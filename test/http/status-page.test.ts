import { afterEach, describe, expect, it } from 'vitest';
import type { AdminOperation } from '../../src/http/admin-deps.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import type { StatusDocument } from '../../src/http/status-page.js';
import { fakeAdminDeps, MODEMS, message } from '../browser/fake-admin-deps.js';

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
      ['/dev/gsm/usb-1.2', 'ready', '79088081050', { id: 355, service: 'instagram', ageMs: null }],
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
    expect(body.errors).toEqual(['messages unavailable', 'failure counts unavailable']);
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

  it('counts rejected, expired, invalid and no_operation of the last 24 h, and the badge warns on failures', async () => {
    const now = Date.now();
    const deps = fakeAdminDeps();
    deps.facts.messagesByStatus = { delivered: 40, invalid: 9, rejected: 1, expired: 0, no_operation: 3 };
    const recent = Array.from({ length: 8 }, (_, i) =>
      message(100 + i, { status: 'invalid', receivedAtMs: now - (i + 1) * 60_000, push: null }),
    );
    deps.messagesList.unshift(
      ...recent,
      message(90, { status: 'no_operation', receivedAtMs: now - 3_600_000, push: null }),
      message(80, { status: 'rejected', receivedAtMs: now - 2 * 86_400_000 }),
      message(81, { status: 'invalid', receivedAtMs: now - 2 * 86_400_000, push: null }),
    );
    app = buildAdminServer(deps);
    const body = (await app.inject('/api/status')).json<StatusDocument>();
    expect(body.failures.lastDay).toEqual({ rejected: 0, expired: 0, invalid: 8, no_operation: 1 });
    expect(body.failures.total).toEqual({ rejected: 1, expired: 0, invalid: 9, no_operation: 3 });
    expect(body.badge).toEqual({ level: 'warn', text: '8 invalid in 24 h' });
    // The 25 recent rows would hide them: the counts do not depend on the rows shown.
    expect(body.health.status).toBe('ok');
  });

  it('says ok when nothing failed in the last day, and bad when the store refuses writes', async () => {
    const deps = fakeAdminDeps();
    app = buildAdminServer(deps);
    expect((await app.inject('/api/status')).json<StatusDocument>().badge).toEqual({
      level: 'ok',
      text: 'ok',
    });
    deps.facts.storeWritable = false;
    const bad = (await app.inject('/api/status')).json<StatusDocument>().badge;
    expect(bad.level).toBe('bad');
  });

  it('shows per modem the SIM storage fill, resets, the last error, and the age of its operation', async () => {
    const now = Date.now();
    const deps = fakeAdminDeps({
      modems: () => [
        { ...MODEMS[0]!, storageUsed: 18, storageTotal: 20, resets: 3, lastError: 'AT+CMGR=4 timed out' },
        MODEMS[1]!,
      ],
    });
    deps.operationsList[0] = { ...deps.operationsList[0]!, createdAtMs: now - 300_000 } as AdminOperation;
    app = buildAdminServer(deps);
    const body = (await app.inject('/api/status')).json<StatusDocument>();
    const [first, second] = body.modems;
    expect(first).toMatchObject({
      storage: { used: 18, total: 20 },
      resets: 3,
      lastError: 'AT+CMGR=4 timed out',
    });
    expect(first?.activeOperation?.ageMs).toBeGreaterThanOrEqual(300_000);
    expect(first?.activeOperation?.ageMs).toBeLessThan(360_000);
    expect(second).toMatchObject({ storage: { used: 0, total: 20 }, resets: 0, lastError: null });
  });

  it('shows the version and the uptime', async () => {
    const deps = fakeAdminDeps({ build: { version: '9.8.7', startedAtMs: Date.now() - 90_000 } });
    app = buildAdminServer(deps);
    const body = (await app.inject('/api/status')).json<StatusDocument>();
    expect(body.build?.version).toBe('9.8.7');
    expect(body.build?.uptimeMs).toBeGreaterThanOrEqual(90_000);
  });

  it('orders the recent messages by received time, newest first, whatever order the store lists them in', async () => {
    const deps = fakeAdminDeps();
    const at = (hhmm: string) => Date.parse(`2026-11-24T0${hhmm}:00Z`);
    deps.messagesList.splice(
      0,
      deps.messagesList.length,
      message(30, { receivedAtMs: at('5:51') }),
      message(29, { receivedAtMs: at('5:52') }),
      message(28, { receivedAtMs: at('5:53') }),
      message(27, { receivedAtMs: at('5:50') }),
    );
    app = buildAdminServer(deps);
    const body = (await app.inject('/api/status')).json<StatusDocument>();
    expect(body.messages.map((m) => m.id)).toEqual([28, 29, 30, 27]);
  });
});
