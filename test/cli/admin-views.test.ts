import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN_URL, resolveAdminUrl } from '../../src/cli/admin-client.js';
import { runMessagesCommand } from '../../src/cli/messages-command.js';
import { runOpsCommand } from '../../src/cli/ops-command.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { type FakeAdmin, fakeAdminDeps, message } from '../browser/fake-admin-deps.js';
import { captureIo } from './capture-io.js';

let app: HttpApp;
let deps: FakeAdmin;
let adminUrl: string;

beforeAll(async () => {
  deps = fakeAdminDeps();
  app = buildAdminServer(deps);
  adminUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
});

describe('simbridge messages', () => {
  beforeEach(() => {
    deps.messagesList.splice(
      0,
      deps.messagesList.length,
      message(3, { sender: '\u001b]0;owned\u0007Bank', text: 'line one\nline two' }),
      message(2, { status: 'pending', push: { id: 2, state: 'pending', attempts: 4 } }),
    );
  });

  it('prints a table of recent messages with their push state', async () => {
    const io = captureIo();
    expect(await runMessagesCommand(['--admin', adminUrl], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+RECEIVED\s+SIM\s+SENDER\s+STATUS\s+PUSH\s+OP\s+TEXT$/);
    expect(lines[2]).toContain('pending (4 tries)');
    expect(lines[2]).toContain('2026-11-24 12:00:02Z');
    // Control characters from a sender never reach the terminal; line breaks fold.
    expect(io.out()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(lines[1]).toContain('?]0;owned?Bank');
    expect(lines[1]).toContain('line one line two');
  });

  it('filters by status and prints JSON with --json', async () => {
    const io = captureIo();
    expect(await runMessagesCommand(['--admin', adminUrl, '--status', 'pending', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.out()) as Array<{ id: number; status: string }>;
    expect(parsed.map((m) => [m.id, m.status])).toEqual([[2, 'pending']]);
  });

  it('refuses an unknown status or option with exit 2 and the usage', async () => {
    let io = captureIo();
    expect(await runMessagesCommand(['--admin', adminUrl, '--status', 'lost'], io)).toBe(2);
    expect(io.err()).toContain('--status must be one of pending, delivered');
    io = captureIo();
    expect(await runMessagesCommand(['--bogus'], io)).toBe(2);
    expect(io.err()).toContain('Usage: simbridge messages');
  });

  it('prints help with exit 0', async () => {
    const io = captureIo();
    expect(await runMessagesCommand(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Exit codes');
  });

  it('says how to fix an admin API that does not answer, exit 1', async () => {
    const closed = buildAdminServer(fakeAdminDeps());
    const url = await closed.listen({ host: '127.0.0.1', port: 0 });
    await closed.close();
    const io = captureIo();
    expect(await runMessagesCommand(['--admin', url], io)).toBe(1);
    expect(io.err()).toContain('connection refused');
    expect(io.err()).toContain('is simbridge running');
  });
});

describe('simbridge ops', () => {
  it('lists active operations by default and all with --all', async () => {
    let io = captureIo();
    expect(await runOpsCommand(['--admin', adminUrl], io)).toBe(0);
    expect(io.out()).toMatch(/^ID\s+PHONE\s+SERVICE/);
    expect(io.out()).toContain('355  79088081050  instagram  active');
    expect(io.out()).not.toContain('300');
    io = captureIo();
    expect(await runOpsCommand(['list', '--all', '--json', '--admin', adminUrl], io)).toBe(0);
    expect((JSON.parse(io.out()) as Array<{ id: number }>).map((o) => o.id)).toContain(300);
  });

  it('opens an operation, refuses its id twice (exit 1), and ends it', async () => {
    let io = captureIo();
    const open = ['open', '--phone', '+79161234567', '--id', '901', '--service', 'vk', '--admin', adminUrl];
    expect(await runOpsCommand(open, io)).toBe(0);
    expect(io.out()).toBe('operation 901 is active: 79161234567 waits for vk\n');
    expect(deps.operationsList.find((o) => o.id === 901)?.status).toBe('active');

    io = captureIo();
    expect(await runOpsCommand(open, io)).toBe(1);
    expect(io.err()).toContain('operation id 901 is already used (HTTP 409)');

    io = captureIo();
    expect(await runOpsCommand(['end', '901', '--admin', adminUrl], io)).toBe(0);
    expect(io.out()).toBe('operation 901 ended\n');
    io = captureIo();
    expect(await runOpsCommand(['end', '901', '--admin', adminUrl], io)).toBe(1);
    expect(io.err()).toContain('operation 901 not found (HTTP 404)');
  });

  it('refuses a phone outside the SIM map with the API message, exit 1', async () => {
    const io = captureIo();
    const args = ['open', '--phone', '79990000000', '--id', '902', '--service', 'vk', '--admin', adminUrl];
    expect(await runOpsCommand(args, io)).toBe(1);
    expect(io.err()).toContain('not in the configured SIM map');
  });

  it('checks its arguments before calling the API (exit 2)', async () => {
    const cases: Array<[string[], string]> = [
      [['open', '--phone', '79161234567'], 'ops open needs --id, --service'],
      [['open', '--phone', '79161234567', '--id', 'x', '--service', 'vk'], '--id must be a positive integer'],
      [['end'], 'exactly one operation id'],
      [['end', '0'], 'positive integer'],
      [['close', '5'], 'unknown action "close"'],
    ];
    for (const [args, expected] of cases) {
      const io = captureIo();
      expect(await runOpsCommand([...args, '--admin', 'http://127.0.0.1:1'], io)).toBe(2);
      expect(io.err()).toContain(expected);
    }
  });
});

describe('resolveAdminUrl', () => {
  it('prefers --admin, then admin.listen of the config, then the default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-admin-url-'));
    try {
      const config = join(dir, 'simbridge.yaml');
      // The API key variable is not set: the view still finds admin.listen.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a config's ${ENV} reference, on purpose.
      writeFileSync(config, 'onlinesim:\n  apiKey: ${ONLINESIM_API_KEY}\nadmin:\n  listen: 0.0.0.0:9999\n');
      expect(resolveAdminUrl({ admin: '10.0.0.5:8930' }, {})).toBe('http://10.0.0.5:8930');
      expect(resolveAdminUrl({ config }, {})).toBe('http://127.0.0.1:9999');
      expect(resolveAdminUrl({}, { SIMBRIDGE_CONFIG: config })).toBe('http://127.0.0.1:9999');
      writeFileSync(config, 'admin:\n  listen: "[::]:8931"\n');
      expect(resolveAdminUrl({ config }, {})).toBe('http://[::1]:8931');
      writeFileSync(config, 'modems: {}\n');
      expect(resolveAdminUrl({ config }, {})).toBe(DEFAULT_ADMIN_URL);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
