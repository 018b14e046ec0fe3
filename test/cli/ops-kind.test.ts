import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpsCommand } from '../../src/cli/ops-command.js';
import type { AdminOperation } from '../../src/http/admin-deps.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { fakeAdminDeps } from '../browser/fake-admin-deps.js';
import { captureIo } from './capture-io.js';

/** `simbridge ops` tells activations from rents, and shows when a rent ends. */

const RENT_UNTIL_MS = Date.parse('2026-12-10T09:30:00Z');

let app: HttpApp;
let adminUrl: string;

beforeAll(async () => {
  const deps = fakeAdminDeps();
  const listed = [
    { id: 355, phone: '79088081050', service: 'instagram', status: 'active', kind: 'activation' },
    {
      id: 356,
      phone: '79161234567',
      service: 'rent',
      status: 'active',
      kind: 'rent',
      rent: { days: 7, rentedUntilMs: RENT_UNTIL_MS, smsCount: 2, sum: null, endReason: null, atRisk: false },
    },
    // As an older bridge lists it: no `kind`, the service says it.
    { id: 357, phone: '79000000003', service: 'rent', status: 'active' },
  ] as AdminOperation[];
  deps.operationsList.splice(0, deps.operationsList.length, ...listed);
  app = buildAdminServer(deps);
  adminUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
});

describe('simbridge ops list: kind and rent end', () => {
  it('shows each operation as an activation or a rent, and a rent with its end time', async () => {
    const io = captureIo();
    expect(await runOpsCommand(['--admin', adminUrl], io)).toBe(0);
    const [header, ...lines] = io.out().trimEnd().split('\n');
    expect(header).toMatch(
      /^ID\s+PHONE\s+SERVICE\s+STATUS\s+KIND\s+SOURCE\s+OPENED\s+ENDED\s+RENTED UNTIL\s+SUM$/,
    );
    const row = (id: number) => lines.find((line) => line.startsWith(`${id} `)) ?? '';
    expect(row(355)).toMatch(/^355\s+79088081050\s+instagram\s+active\s+activation\s/);
    expect(row(355)).not.toContain('2026-12-10');
    expect(row(356)).toMatch(/^356\s+79161234567\s+rent\s+active\s+rent\s/);
    expect(row(356)).toContain('2026-12-10 09:30:00Z');
    expect(row(357)).toMatch(/^357\s+79000000003\s+rent\s+active\s+rent\s/);
  });

  it('keeps kind and rent in --json as the API gives them', async () => {
    const io = captureIo();
    expect(await runOpsCommand(['list', '--json', '--admin', adminUrl], io)).toBe(0);
    const parsed = JSON.parse(io.out()) as Array<{
      id: number;
      kind?: string;
      rent?: { rentedUntilMs: number };
    }>;
    expect(parsed.find((o) => o.id === 356)).toMatchObject({
      kind: 'rent',
      rent: { rentedUntilMs: RENT_UNTIL_MS },
    });
  });
});
