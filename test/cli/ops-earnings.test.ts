import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpsCommand } from '../../src/cli/ops-command.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { earningsReport } from '../../src/reseller/index.js';
import { openDatabase, runMigrations } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { SqliteResellerStore } from '../../src/store/reseller-sqlite-store.js';
import { fakeAdminDeps } from '../browser/fake-admin-deps.js';
import { captureIo } from './capture-io.js';

let app: HttpApp;
let adminUrl: string;

beforeAll(async () => {
  const db = openDatabase(':memory:');
  runMigrations(db, MIGRATIONS);
  const store = new SqliteResellerStore(db);
  const sale = { country: 'russia', operator: 'mts', offeredSum: 40, nowMs: 1_000 };
  const sold = await store.claimNumber({ ...sale, candidatePhones: ['79000000001'], service: 'vk' });
  const cancelled = await store.claimNumber({ ...sale, candidatePhones: ['79000000002'], service: 'vk' });
  await store.finishActivation({ activationId: sold?.operationId ?? 0, status: 3, sum: 42.5, nowMs: 2_000 });
  await store.finishActivation({
    activationId: cancelled?.operationId ?? 0,
    status: 4,
    sum: null,
    nowMs: 2_000,
  });
  // SIM 1 is free again after its sale, and is sold for another service: still open.
  const open = await store.claimNumber({ ...sale, candidatePhones: ['79000000001'], service: 'instagram' });
  expect(sold && cancelled && open).toBeTruthy();
  app = buildAdminServer({
    ...fakeAdminDeps(),
    earnings: async () => earningsReport(await store.earnings()),
  });
  adminUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
});

describe('simbridge ops earnings', () => {
  it('shows what each SIM and each service earned from finished operations', async () => {
    const io = captureIo();
    expect(await runOpsCommand(['earnings', '--admin', adminUrl], io)).toBe(0);
    const lines = io.out().split('\n');
    const simRow = lines.find((l) => l.startsWith('79000000001'));
    expect(simRow).toMatch(/79000000001\s+2\s+1\s+1\s+0\s+0\s+0\s+42\.5/);
    expect(lines.find((l) => l.startsWith('79000000002'))).toMatch(/\s+1\s+0\s+0\s+1\s+0\s+0\s+0$/);
    expect(lines.find((l) => l.startsWith('total'))).toMatch(/total\s+3\s+1\s+1\s+1\s+0\s+0\s+42\.5/);
  });

  it('prints the report as JSON with --json', async () => {
    const io = captureIo();
    expect(await runOpsCommand(['earnings', '--json', '--admin', adminUrl], io)).toBe(0);
    const report = JSON.parse(io.out()) as { byService: Array<{ service: string; earned: number }> };
    expect(report.byService.find((s) => s.service === 'vk')?.earned).toBe(42.5);
  });
});
