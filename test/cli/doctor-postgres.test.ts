import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPostgresStore } from '../../src/cli/doctor/checks-postgres.js';
import type { CheckResult, DoctorSystem } from '../../src/cli/doctor/types.js';
import { runDoctorCommand } from '../../src/cli/doctor-command.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { probePostgres } from '../../src/store/postgres/pg-probe.js';
import { freePort, PG_BIN_DIR, PgCluster } from '../store/support/pg-cluster.js';
import { captureIo } from './capture-io.js';

/** `simbridge doctor` with `storage.postgres`: the store check connects to the real server. */

const PASSWORD = 'doctor-db-password';

/** Only the store check is under test; the rest of the machine answers "fine". */
function system(): DoctorSystem {
  return {
    now: () => Date.parse('2026-12-03T08:00:00Z'),
    nodeVersion: '20.18.1',
    expandPorts: async () => ['/dev/gsm/usb-1.2'],
    accessReadWrite: async () => null,
    fileGroup: async () => 20,
    userName: () => 'simbridge',
    processIdentity: () => ({ uid: 0, gids: [0] }),
    groups: async () => [],
    exec: async () => ({ code: null, stdout: '', stderr: '' }),
    processNames: async () => [],
    tryWriteIn: async () => null,
    nearestExisting: async (path) => path,
    dnsLookup: async () => ['127.0.0.1'],
    httpProbe: async () => ({ kind: 'answer', status: 405 }),
    probeListen: async () => ({ kind: 'free' }),
    probePostgres: (url) => probePostgres(url, 3_000),
  };
}

describe.skipIf(PG_BIN_DIR === null)('simbridge doctor on a PostgreSQL store', () => {
  let cluster: PgCluster;
  let dir: string;

  beforeAll(async () => {
    cluster = await PgCluster.start();
    dir = mkdtempSync(join(tmpdir(), 'simbridge-doctor-pg-'));
  }, 60_000);
  afterAll(() => {
    cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function doctorWith(storageUrl: string): Promise<{ store: CheckResult | undefined; output: string }> {
    const config = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      config,
      [
        'onlinesim: { pushUrl: "https://partner.example/push", apiKey: k }',
        `storage: { postgres: "${storageUrl}" }`,
        'node: { name: pi-2 }',
        'modems: { ports: ["/dev/gsm/*"] }',
        '',
      ].join('\n'),
    );
    const io = captureIo({ DB_PASSWORD: PASSWORD });
    await runDoctorCommand(['--config', config, '--json'], io, { system: system() });
    const { checks } = JSON.parse(io.out()) as { checks: CheckResult[] };
    return { store: checks.find((c) => c.id === 'store'), output: io.out() + io.err() };
  }

  it('passes a reachable server and says the schema will be migrated at start', async () => {
    const url = new URL(await cluster.createDatabase());
    // `${DB_PASSWORD}` is substituted by the config loader.
    const { store, output } = await doctorWith(
      `postgres://postgres:\${DB_PASSWORD}@${url.host}${url.pathname}`,
    );
    expect(store?.status).toBe('pass');
    expect(store?.summary).toMatch(
      new RegExp(
        `^PostgreSQL 15\\.\\d+ at postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/\\S+, schema 0, migrated to ${MIGRATIONS.length} at start; this host is node pi-2$`,
      ),
    );
    expect(output).not.toContain(PASSWORD);
  });

  it('fails a server nobody listens for, and a database that does not exist, with what to do', async () => {
    const port = await freePort();
    const refused = await doctorWith(`postgres://postgres@127.0.0.1:${port}/simbridge`);
    expect(refused.store).toMatchObject({ status: 'fail', fix: expect.stringMatching(/^start PostgreSQL/) });
    expect(refused.store?.summary).toContain('ECONNREFUSED');
    const missing = await doctorWith(`postgres://postgres@127.0.0.1:${cluster.port}/no_such_db`);
    expect(missing.store).toMatchObject({ status: 'fail', fix: expect.stringContaining('createdb') });
  });

  it('fails a store migrated by a newer build', async () => {
    const url = await cluster.createDatabase();
    const results = await checkPostgresStore(
      {
        ...system(),
        probePostgres: async () => ({
          kind: 'ok',
          serverVersion: '15.1',
          schemaVersion: 99,
          latestVersion: 4,
          canCreate: true,
        }),
      },
      url,
      'pi-2',
    );
    expect(results[0]).toMatchObject({ status: 'fail', fix: expect.stringContaining('upgrade simbridge') });
  });
});
