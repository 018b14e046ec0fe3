import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGroupFile } from '../../src/cli/doctor/system.js';
import type { CheckResult, DoctorSystem } from '../../src/cli/doctor/types.js';
import { runDoctorCommand } from '../../src/cli/doctor-command.js';
import { captureIo } from './capture-io.js';

const PORTS = ['/dev/gsm/usb-1.2', '/dev/gsm/usb-1.3'];
const NOW = Date.parse('2026-11-25T01:00:00Z');

/** A healthy Pi; each test breaks one thing. */
function fakeSystem(overrides: Partial<DoctorSystem> = {}): DoctorSystem & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    now: () => NOW,
    nodeVersion: '20.18.1',
    expandPorts: async () => PORTS,
    accessReadWrite: async () => null,
    fileGroup: async () => 20,
    userName: () => 'simbridge',
    processIdentity: () => ({ uid: 999, gids: [999, 20] }),
    groups: async () => [
      { name: 'dialout', gid: 20, members: ['simbridge'] },
      { name: 'simbridge', gid: 999, members: [] },
    ],
    exec: async (command, args) => {
      calls.push(`${command} ${args.join(' ')}`);
      if (command === 'systemctl') return { code: 3, stdout: 'inactive\n', stderr: '' };
      if (command === 'timedatectl') return { code: 0, stdout: 'yes\n', stderr: '' };
      return { code: null, stdout: '', stderr: '' };
    },
    processNames: async () => ['systemd', 'node', 'sshd'],
    tryWriteIn: async () => null,
    nearestExisting: async (path) => path,
    dnsLookup: async () => ['203.0.113.7'],
    httpProbe: async (url, method) => {
      calls.push(`${method} ${url}`);
      return { kind: 'answer', status: 405 };
    },
    probeListen: async () => ({ kind: 'free' }),
    ...overrides,
  };
}

let dir: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simbridge-doctor-'));
  config = join(dir, 'simbridge.yaml');
  writeFileSync(
    config,
    [
      'onlinesim:',
      '  pushUrl: https://partner.example/sms/push',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the key comes from the environment.
      '  apiKey: ${ONLINESIM_API_KEY}',
      'storage:',
      `  sqlite: ${dir}/data/simbridge.db`,
      'modems:',
      '  ports: ["/dev/gsm/*"]',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function doctor(system: DoctorSystem, env: NodeJS.ProcessEnv = { ONLINESIM_API_KEY: 'secret-key' }) {
  const io = captureIo(env);
  const code = await runDoctorCommand(['--config', config, '--json'], io, { system });
  const report = JSON.parse(io.out()) as { ok: boolean; checks: CheckResult[] };
  const byId = (id: string) => report.checks.filter((c) => c.id === id);
  return { code, report, byId, io };
}

describe('simbridge doctor', () => {
  it('passes every check on a healthy machine, exit 0, and never sends the key', async () => {
    const system = fakeSystem();
    const { code, report, io } = await doctor(system);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['node', 'pass'],
      ['config', 'pass'],
      ['ports', 'pass'],
      ['permissions', 'pass'],
      ['modemmanager', 'pass'],
      ['store', 'pass'],
      ['push-url', 'pass'],
      ['clock', 'pass'],
      ['admin-port', 'pass'],
    ]);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    // HEAD first; 405 (method not allowed) falls back to a GET; never a POST, never the key.
    expect(system.calls.filter((c) => c.includes('partner'))).toEqual([
      'HEAD https://partner.example/sms/push',
      'GET https://partner.example/sms/push',
    ]);
    expect(io.out()).not.toContain('secret-key');
  });

  it('prints a text report with why and fix lines under each failure', async () => {
    const io = captureIo({ ONLINESIM_API_KEY: 'k' });
    const system = fakeSystem({ expandPorts: async () => [] });
    expect(await runDoctorCommand(['--config', config], io, { system })).toBe(1);
    const text = io.out();
    expect(text).toMatch(/^\[ OK \] node +Node\.js 20\.18\.1$/m);
    expect(text).toMatch(/^\[FAIL\] ports +no port matches modems\.ports \(\/dev\/gsm\/\*\)$/m);
    expect(text).toMatch(/^ +why: without a port/m);
    expect(text).toMatch(/^ +fix: plug the modems in/m);
    expect(text).toContain('1 check(s) failed');
  });

  it('fails an invalid config and skips what depends on it', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'onlinesim:\n  pushUrl: ftp://x\n  apiKey: k\nmodems:\n  ports: []\n  colour: blue\n');
    const io = captureIo({});
    expect(await runDoctorCommand(['--config', bad, '--json'], io, { system: fakeSystem() })).toBe(1);
    const { checks } = JSON.parse(io.out()) as { checks: CheckResult[] };
    const configCheck = checks.find((c) => c.id === 'config');
    expect(configCheck?.status).toBe('fail');
    expect(configCheck?.why).toContain('onlinesim.pushUrl');
    expect(configCheck?.why).toContain('colour');
    expect(checks.filter((c) => c.status === 'skip').map((c) => c.id)).toEqual([
      'ports',
      'permissions',
      'port-choice',
      'store',
      'push-url',
      'admin-port',
    ]);
  });

  it('warns, without failing, when the API key variable is not set in this shell', async () => {
    const { code, byId } = await doctor(fakeSystem(), {});
    expect(code).toBe(0);
    expect(byId('config')[0]).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('simbridge.env'),
    });
    expect(byId('config')[0]?.why).toContain('ONLINESIM_API_KEY');
    expect(byId('push-url')[0]?.status).toBe('pass');
  });

  it('names the group to join when a port cannot be opened, or the re-login when already listed', async () => {
    const system = fakeSystem({
      accessReadWrite: async (path) => (path.endsWith('1.3') ? 'EACCES' : null),
      processIdentity: () => ({ uid: 999, gids: [999] }),
    });
    let { code, byId } = await doctor(system);
    expect(code).toBe(1);
    expect(byId('permissions')).toEqual([
      expect.objectContaining({
        status: 'fail',
        summary: 'simbridge cannot read and write /dev/gsm/usb-1.3 (EACCES)',
        fix: expect.stringContaining('log out and in again'),
      }),
    ]);
    ({ code, byId } = await doctor({
      ...system,
      groups: async () => [{ name: 'dialout', gid: 20, members: [] }],
    }));
    expect(byId('permissions')[0]?.fix).toContain('sudo usermod -aG dialout simbridge');
  });

  it('warns that ModemManager is running, from systemd or from /proc', async () => {
    const viaSystemd = fakeSystem({
      exec: async (command) =>
        command === 'systemctl'
          ? { code: 0, stdout: 'active\n', stderr: '' }
          : { code: 0, stdout: 'yes\n', stderr: '' },
    });
    let result = await doctor(viaSystemd);
    expect(result.code).toBe(0);
    expect(result.byId('modemmanager')[0]).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('systemctl disable --now ModemManager'),
    });
    const noSystemd = fakeSystem({
      exec: async () => ({ code: null, stdout: '', stderr: '' }),
      processNames: async () => ['init', 'ModemManager'],
    });
    result = await doctor(noSystemd);
    expect(result.byId('modemmanager')[0]?.status).toBe('warn');
  });

  it('fails a store directory that cannot be written, and checks the parent of one not yet created', async () => {
    const tried: string[] = [];
    const system = fakeSystem({
      nearestExisting: async () => dir,
      tryWriteIn: async (path) => {
        tried.push(path);
        return 'EROFS';
      },
    });
    const { code, byId } = await doctor(system);
    expect(tried).toEqual([dir]);
    expect(code).toBe(1);
    expect(byId('store')[0]).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('(EROFS)'),
      // A fix line the operator can paste as it is.
      fix: expect.stringContaining(`sudo install -d -o simbridge -m 0700 ${dir}`),
    });
  });

  it('as root, says to run doctor as the service user with this very config', async () => {
    const { byId } = await doctor(fakeSystem({ processIdentity: () => ({ uid: 0, gids: [0] }) }));
    expect(byId('permissions')[0]).toMatchObject({
      status: 'warn',
      fix: `run doctor as the service user: sudo -u simbridge simbridge doctor --config ${config}`,
    });
  });

  it('judges the push URL: DNS, TLS and refusals fail; a 404 on the path warns; a 5xx warns', async () => {
    const cases: Array<[Partial<DoctorSystem>, string, RegExp]> = [
      [
        { dnsLookup: async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })) },
        'fail',
        /cannot resolve partner\.example \(ENOTFOUND\)/,
      ],
      [
        {
          httpProbe: async () => ({
            kind: 'error',
            code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
            message: 'unable to verify',
          }),
        },
        'fail',
        /TLS to https:\/\/partner\.example\/sms\/push failed/,
      ],
      [
        { httpProbe: async () => ({ kind: 'error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }) },
        'fail',
        /refused the connection/,
      ],
      [
        { httpProbe: async () => ({ kind: 'error', code: 'UND_ERR_CONNECT_TIMEOUT', message: 'timeout' }) },
        'fail',
        /no answer from .*UND_ERR_CONNECT_TIMEOUT/,
      ],
      [{ httpProbe: async () => ({ kind: 'answer', status: 404 }) }, 'warn', /answers 404 Not Found/],
      [{ httpProbe: async () => ({ kind: 'answer', status: 502 }) }, 'warn', /answers 502/],
    ];
    for (const [override, status, summary] of cases) {
      const { byId } = await doctor(fakeSystem(override));
      const check = byId('push-url')[0];
      expect(check?.status, String(summary)).toBe(status);
      expect(check?.summary).toMatch(summary);
      expect(check?.fix).toBeTruthy();
    }
    const notFound = (
      await doctor(fakeSystem({ httpProbe: async () => ({ kind: 'answer', status: 404 }) }))
    ).byId('push-url')[0];
    expect(notFound?.why).toContain('NO_OPERATION');
  });

  it('fails a clock before 2024 and warns when NTP is not synchronised', async () => {
    let result = await doctor(fakeSystem({ now: () => Date.parse('1970-01-01T00:05:00Z') }));
    expect(result.code).toBe(1);
    expect(result.byId('clock')[0]).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('set-ntp true'),
    });
    result = await doctor(
      fakeSystem({
        exec: async (command) =>
          command === 'timedatectl'
            ? { code: 0, stdout: 'no\n', stderr: '' }
            : { code: 3, stdout: 'inactive', stderr: '' },
      }),
    );
    expect(result.code).toBe(0);
    expect(result.byId('clock')[0]?.status).toBe('warn');
  });

  it('passes an admin port simbridge already serves, fails one another program holds', async () => {
    let result = await doctor(fakeSystem({ probeListen: async () => ({ kind: 'in-use', simbridge: true }) }));
    expect(result.byId('admin-port')[0]).toMatchObject({
      status: 'pass',
      summary: 'simbridge is already listening on 127.0.0.1:8930',
    });
    result = await doctor(fakeSystem({ probeListen: async () => ({ kind: 'in-use', simbridge: false }) }));
    expect(result.code).toBe(1);
    expect(result.byId('admin-port')[0]?.fix).toContain("ss -ltnp 'sport = :8930'");
  });

  it('fails an old Node, and turns a check that throws into a failure instead of a crash', async () => {
    const result = await doctor(
      fakeSystem({
        nodeVersion: '18.19.0',
        probeListen: async () => {
          throw new Error('kaboom');
        },
      }),
    );
    expect(result.byId('node')[0]?.status).toBe('fail');
    expect(result.report.checks.at(-1)).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('kaboom'),
    });
  });

  it('prints help (0) and refuses unknown options (2)', async () => {
    let io = captureIo();
    expect(await runDoctorCommand(['--help'], io)).toBe(0);
    expect(io.out()).toContain('modemmanager');
    io = captureIo();
    expect(await runDoctorCommand(['--fix'], io)).toBe(2);
  });
});

describe('doctor system helpers', () => {
  it('parses /etc/group', () => {
    expect(parseGroupFile('root:x:0:\ndialout:x:20:pi,simbridge\n# comment\n')).toEqual([
      { name: 'root', gid: 0, members: [] },
      { name: 'dialout', gid: 20, members: ['pi', 'simbridge'] },
    ]);
  });
});
