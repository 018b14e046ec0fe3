import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { AdminSim, AdminSims } from '../../src/http/admin-sims.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { SimNotFoundError } from '../../src/sims/sim-registry.js';
import { fakeAdminDeps } from '../browser/fake-admin-deps.js';

const TOKEN = 'Adm1n-t0ken-0123456789abcdef';
const ICCID = '8970101123456789012';

let app: HttpApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

function fakeSims(): AdminSims & { rows: (AdminSim & Record<string, unknown>)[] } {
  const rows = [{ iccid: ICCID, phone: '79161234567', confirmed: false, source: 'ussd', balance: 12.5 }];
  return {
    rows,
    list: () => rows,
    async confirm(iccid) {
      const row = rows.find((r) => r.iccid === iccid);
      if (!row) throw new SimNotFoundError(iccid);
      row.confirmed = true;
      return row;
    },
  };
}

describe('admin API: /api/sims', () => {
  it('lists every SIM with its number, source, confirmation and balance', async () => {
    app = buildAdminServer(fakeAdminDeps({ sims: fakeSims() }));
    const res = await app.inject('/api/sims');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { iccid: ICCID, phone: '79161234567', confirmed: false, source: 'ussd', balance: 12.5 },
    ]);
  });

  it('confirms a discovered number behind the admin token', async () => {
    const sims = fakeSims();
    app = buildAdminServer(fakeAdminDeps({ sims, auth: { token: TOKEN } }));
    const refused = await app.inject({ method: 'POST', url: `/api/sims/${ICCID}/confirm` });
    expect(refused.statusCode).toBe(401);
    expect(sims.rows[0]?.confirmed).toBe(false);
    const done = await app.inject({
      method: 'POST',
      url: `/api/sims/${ICCID}/confirm`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ iccid: ICCID, confirmed: true });
  });

  it('answers 404 for a SIM with no known number and 400 for a malformed ICCID', async () => {
    app = buildAdminServer(fakeAdminDeps({ sims: fakeSims() }));
    const unknown = await app.inject({ method: 'POST', url: '/api/sims/8970199999999999999/confirm' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'HTTP_SIM_NOT_FOUND' });
    const bad = await app.inject({ method: 'POST', url: '/api/sims/12ab/confirm' });
    expect(bad.statusCode).toBe(400);
  });
});
