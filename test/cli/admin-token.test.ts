import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAdminTarget } from '../../src/cli/admin-client.js';
import { runMessagesCommand } from '../../src/cli/messages-command.js';
import { runOpsCommand } from '../../src/cli/ops-command.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { type FakeAdmin, fakeAdminDeps } from '../browser/fake-admin-deps.js';
import { captureIo } from './capture-io.js';

const TOKEN = 'Adm1n-t0ken-0123456789abcdef';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a config's ${ENV} reference, on purpose.
const TOKEN_REFERENCE = '${SIMBRIDGE_ADMIN_TOKEN}';

let app: HttpApp;
let deps: FakeAdmin;
let dir: string;
let config: string;

beforeAll(async () => {
  deps = fakeAdminDeps({ auth: { token: TOKEN } });
  app = buildAdminServer(deps);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'simbridge-admin-token-'));
  config = join(dir, 'simbridge.yaml');
  writeFileSync(config, `admin:\n  listen: ${new URL(url).host}\n  token: ${TOKEN_REFERENCE}\n`);
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const open = (id: number) => [
  'open',
  '--config',
  config,
  '--phone',
  '79161234567',
  '--id',
  String(id),
  '--service',
  'vk',
];

describe('simbridge ops against an admin API with admin.token', () => {
  it('sends the token of the config: opens and ends an operation', async () => {
    let io = captureIo({ SIMBRIDGE_ADMIN_TOKEN: TOKEN });
    expect(await runOpsCommand(open(701), io)).toBe(0);
    expect(io.out()).toContain('operation 701 is active');
    io = captureIo({ SIMBRIDGE_ADMIN_TOKEN: TOKEN });
    expect(await runOpsCommand(['end', '701', '--config', config], io)).toBe(0);
    expect(deps.operationsList.find((op) => op.id === 701)?.status).toBe('finished');
  });

  it('is refused with exit 1 and told which variable is missing when the token is not set here', async () => {
    const io = captureIo({});
    expect(await runOpsCommand(open(702), io)).toBe(1);
    expect(io.err()).toContain('HTTP 401');
    expect(io.err()).toContain('$SIMBRIDGE_ADMIN_TOKEN, which is not set here');
    expect(deps.operationsList.some((op) => op.id === 702)).toBe(false);
  });

  it('is refused with exit 1 on a wrong token, without printing either token', async () => {
    const wrong = 'wrong-token-0123456789abcdef';
    const io = captureIo({ SIMBRIDGE_ADMIN_TOKEN: wrong });
    expect(await runOpsCommand(open(703), io)).toBe(1);
    expect(io.err()).toContain("admin.token is not the running bridge's");
    expect(io.err()).not.toContain(wrong);
    expect(io.err()).not.toContain(TOKEN);
  });

  it('still lists on loopback without the token (reads stay open)', async () => {
    let io = captureIo({});
    expect(await runOpsCommand(['list', '--config', config], io)).toBe(0);
    expect(io.out()).toContain('355');
    io = captureIo({});
    expect(await runMessagesCommand(['--config', config], io)).toBe(0);
  });
});

describe('resolveAdminTarget', () => {
  it('reads admin.listen and admin.token, substituting the environment', () => {
    const target = resolveAdminTarget({ config }, { SIMBRIDGE_ADMIN_TOKEN: TOKEN });
    expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(target).toMatchObject({ token: TOKEN, tokenHint: null });
  });

  it('keeps the token of the config with --admin', () => {
    const target = resolveAdminTarget({ admin: '10.0.0.5:8930', config }, { SIMBRIDGE_ADMIN_TOKEN: TOKEN });
    expect(target).toEqual({ baseUrl: 'http://10.0.0.5:8930', token: TOKEN, tokenHint: null });
  });

  it('sends no token when the config has none, or with --admin and an unreadable config', () => {
    const plain = join(dir, 'plain.yaml');
    writeFileSync(plain, 'admin:\n  listen: 127.0.0.1:8930\n');
    expect(resolveAdminTarget({ config: plain }, {})).toEqual({
      baseUrl: 'http://127.0.0.1:8930',
      token: null,
      tokenHint: null,
    });
    const target = resolveAdminTarget({ admin: '127.0.0.1:8930', config: dir }, {});
    expect(target.token).toBeNull();
    expect(target.tokenHint).toContain('cannot read admin.token');
  });
});
