import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { AdminSim } from '../../src/http/admin-sims.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import type { StatusDocument } from '../../src/http/status-page.js';
import { fakeAdminDeps, PHONES } from '../browser/fake-admin-deps.js';
import { statusSimsDeps, UNCONFIRMED_ICCID } from '../browser/fake-status-sims.js';

let app: HttpApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe('status page: balance and unconfirmed numbers from the SIM registry', () => {
  it('shows each SIM balance when known and the unconfirmed number with the confirm command', async () => {
    app = buildAdminServer(fakeAdminDeps(statusSimsDeps()));
    const body = (await app.inject('/api/status')).json<StatusDocument>();
    const [config, discovered, noSim] = body.modems;
    expect(config).toMatchObject({
      phone: PHONES['89701012345678901234'],
      balance: 123.45,
      balanceAt: '2026-11-24T12:00:00.000Z',
      numberUnconfirmed: false,
      discoveredPhone: null,
      confirmHint: null,
    });
    // Not offered: no phone is stamped, the discovered one is shown with how to confirm it.
    expect(discovered).toMatchObject({
      phone: null,
      balance: null,
      balanceAt: null,
      numberUnconfirmed: true,
      discoveredPhone: '79161234567',
      confirmHint: `simbridge sims confirm ${UNCONFIRMED_ICCID}`,
    });
    expect(noSim).toMatchObject({ balance: null, numberUnconfirmed: false, confirmHint: null });
    expect(body.errors).toEqual([]);
  });

  it('a discovered SIM once confirmed shows no hint', async () => {
    const deps = fakeAdminDeps(statusSimsDeps());
    const list = (await deps.sims?.list()) as AdminSim[];
    deps.sims = {
      list: () => list.map((s) => ({ ...s, iccid: s.iccid.replace(/F$/, ''), confirmed: true })),
      confirm: async () => list[0] as AdminSim,
    };
    app = buildAdminServer(deps);
    const [, discovered] = (await app.inject('/api/status')).json<StatusDocument>().modems;
    expect(discovered).toMatchObject({ balance: null, numberUnconfirmed: false, confirmHint: null });
  });

  it('keeps the modems when the SIM list fails, and names the part', async () => {
    const deps = fakeAdminDeps({
      sims: {
        list: () => {
          throw new Error('registry gone');
        },
        confirm: async () => {
          throw new Error('unused');
        },
      },
    });
    app = buildAdminServer(deps);
    const body = (await app.inject('/api/status')).json<StatusDocument>();
    expect(body.modems).toHaveLength(3);
    expect(body.modems[0]).toMatchObject({ balance: null, numberUnconfirmed: false });
    expect(body.errors).toEqual(['SIM list unavailable']);
  });

  it('shows the balance and the hint on the page as text, never as HTML', async () => {
    app = buildAdminServer(fakeAdminDeps());
    const html = (await app.inject('/')).body;
    expect(html).toContain("'balance ' + m.balance.toFixed(2)");
    expect(html).toContain("'unconfirmed: not offered'");
    expect(html).toContain('m.confirmHint');
    expect(html).not.toContain('innerHTML');
  });
});
