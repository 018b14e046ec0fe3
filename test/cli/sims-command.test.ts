import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SimRow } from '../../src/cli/admin-client.js';
import { runSimsCommand } from '../../src/cli/sims-command.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { SimNotFoundError } from '../../src/sims/sim-registry.js';
import { fakeAdminDeps } from '../browser/fake-admin-deps.js';
import { captureIo } from './capture-io.js';

const sim = (iccid: string, fields: Partial<SimRow>): SimRow => ({
  iccid,
  imsi: null,
  port: '/dev/gsm/slot1',
  phone: null,
  source: null,
  confirmed: false,
  offered: false,
  operator: 'mts',
  country: 'russia',
  balance: null,
  problem: null,
  ...fields,
});

const ROWS: SimRow[] = [
  sim('89701010000000000001', { phone: '79000000001', source: 'config', confirmed: true, offered: true }),
  sim('89701010000000000002', { phone: '79161234567', source: 'ussd', balance: 12.5 }),
  sim('89701010000000000003', { problem: 'number USSD *111*0887#: no answer' }),
];

let app: HttpApp;
let adminUrl: string;

beforeAll(async () => {
  app = buildAdminServer(
    fakeAdminDeps({
      sims: {
        list: () => ROWS,
        async confirm(iccid) {
          const row = ROWS.find((r) => r.iccid === iccid && r.phone !== null);
          if (!row) throw new SimNotFoundError(iccid);
          row.confirmed = true;
          row.offered = true;
          return row;
        },
      },
    }),
  );
  adminUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
});

describe('simbridge sims', () => {
  it('lists every SIM: ICCID, phone, source, confirmed, balance', async () => {
    const io = captureIo();
    expect(await runSimsCommand(['--admin', adminUrl], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^ICCID\s+PHONE\s+SOURCE\s+CONFIRMED\s+OFFERED\s+OPERATOR\s+BALANCE\s+PORT\s+PROBLEM$/,
    );
    expect(lines[2]).toMatch(/^89701010000000000002\s+79161234567\s+ussd\s+no\s+no\s+mts\s+12\.5\s/);
  });

  it('exports only confirmed numbers as the sims: block, then confirms one and exports it too', async () => {
    const before = captureIo();
    expect(await runSimsCommand(['export', '--admin', adminUrl], before)).toBe(0);
    expect(parse(before.out())).toEqual({
      sims: [{ iccid: '89701010000000000001', phone: '79000000001', country: 'russia', operator: 'mts' }],
    });
    const confirm = captureIo();
    expect(await runSimsCommand(['confirm', '89701010000000000002', '--admin', adminUrl], confirm)).toBe(0);
    expect(confirm.out()).toContain('79161234567 is offered to Onlinesim');
    const after = captureIo();
    await runSimsCommand(['export', '--admin', adminUrl], after);
    expect(parse(after.out()).sims).toHaveLength(2);
    // Quoted: a YAML reader must not turn the ICCID or the phone into a number.
    expect(after.out()).toContain('iccid: "89701010000000000002"');
  });

  it('fails with exit 1 for a SIM with no number, 2 for a malformed ICCID', async () => {
    const unknown = captureIo();
    expect(await runSimsCommand(['confirm', '89701010000000000003', '--admin', adminUrl], unknown)).toBe(1);
    expect(unknown.err()).toContain('nothing to confirm');
    expect(await runSimsCommand(['confirm', 'abc', '--admin', adminUrl], captureIo())).toBe(2);
  });
});
