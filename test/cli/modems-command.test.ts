import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModemsCommand } from '../../src/cli/modems-command.js';
import { describeProbeError } from '../../src/cli/modems-probe.js';
import { EmulatedModem, PtyModemPort } from '../../src/emulator/index.js';
import type { ModemView } from '../../src/http/modem-view.js';
import { describeWithPty } from '../support/describe-with.js';
import { captureIo } from './capture-io.js';

const HUAWEI_ICCID = '89701012345678901234';

/** Two emulated modems on real ptys, probed through the real serialport binding. */
describeWithPty('simbridge modems (emulated modems over ptys)', () => {
  let dir: string;
  let config: string;
  const modems: EmulatedModem[] = [];
  const relays: PtyModemPort[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'simbridge-modems-'));
    const profiles = [
      {
        profile: 'huawei-e3372' as const,
        identity: { iccid: HUAWEI_ICCID, imsi: '250011234567890', operator: 'MTS' },
      },
      {
        profile: 'simcom-sim800' as const,
        identity: { iccid: '89701019876543210987', imsi: '250029876543210', operator: 'MegaFon' },
      },
    ];
    for (const [i, options] of profiles.entries()) {
      const modem = new EmulatedModem({ bootTimeScale: 0, baudRate: 0, ...options });
      const relay = new PtyModemPort({ modem, linkPath: join(dir, `modem-${i}`) });
      await relay.start();
      modems.push(modem);
      relays.push(relay);
    }
    config = join(dir, 'simbridge.yaml');
    writeFileSync(
      config,
      [
        'onlinesim:',
        '  pushUrl: https://partner.example/push',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the key comes from the environment.
        '  apiKey: ${ONLINESIM_API_KEY}',
        'modems:',
        `  ports: ["${dir}/modem-*"]`,
        'sims:',
        `  - iccid: "${HUAWEI_ICCID}"`,
        '    phone: "79088081050"',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    for (const modem of modems) modem.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON object per port with the fields of GET /api/modems, exit 0', async () => {
    // ONLINESIM_API_KEY is not set in this shell: looking at modems does not need it.
    const io = captureIo({});
    const code = await runModemsCommand(['--config', config, '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const views = JSON.parse(io.out()) as ModemView[];
    expect(views.map((v) => Object.keys(v).sort())).toEqual(
      Array(2).fill([
        'health',
        'healthReason',
        'iccid',
        'imei',
        'imsi',
        'lastSmsAt',
        'operator',
        'phone',
        'port',
        'registered',
        'signal',
        'state',
      ]),
    );
    expect(views[0]).toMatchObject({
      port: join(dir, 'modem-0'),
      state: 'ready',
      imei: modems[0]?.identity.imei,
      imsi: '250011234567890',
      iccid: HUAWEI_ICCID,
      phone: '79088081050',
      operator: 'MTS',
      registered: true,
      lastSmsAt: null,
      health: 'healthy',
      healthReason: null,
    });
    expect(views[0]?.signal).toEqual(expect.any(Number));
    expect(views[1]).toMatchObject({ iccid: '89701019876543210987', phone: null, operator: 'MegaFon' });
  });

  it('prints a table, and says a port held by another program is busy with the fix (exit 1)', async () => {
    const holder = await new Promise<SerialPort>((resolve, reject) => {
      const port = new SerialPort({ path: join(dir, 'modem-1'), baudRate: 115_200 }, (err) =>
        err ? reject(err) : resolve(port),
      );
    });
    try {
      const io = captureIo({ ONLINESIM_API_KEY: 'k' });
      const code = await runModemsCommand(['--config', config], io);
      expect(code).toBe(1);
      const lines = io.out().trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^PORT\s+STATUS\s+MODEL\s+IMEI\s+IMSI\s+ICCID\s+PHONE\s+OPERATOR\s+SIGNAL\s+REG\s+SMS$/,
      );
      expect(lines[1]).toContain(HUAWEI_ICCID);
      expect(lines[1]).toContain('79088081050');
      expect(lines[1]).toMatch(/HUAWEI E3372|huawei/i);
      expect(lines[2]).toContain('no answer (CLI_PORT_BUSY)');
      expect(io.err()).toContain(
        `simbridge modems: ${join(dir, 'modem-1')} is in use by another program [CLI_PORT_BUSY]`,
      );
      expect(io.err()).toContain('stop the service first');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('reports a port where nothing answers AT within --timeout-ms, exit 1', async () => {
    // A modem that hangs from the start: the tty exists, nothing ever answers.
    const deafModem = new EmulatedModem({ bootTimeScale: 0, baudRate: 0 });
    deafModem.hang();
    const deafRelay = new PtyModemPort({ modem: deafModem, linkPath: join(dir, 'deaf') });
    await deafRelay.start();
    modems.push(deafModem);
    relays.push(deafRelay);
    const deaf = deafRelay.path;
    writeFileSync(
      config,
      `onlinesim:\n  pushUrl: https://p.example/\n  apiKey: k\nmodems:\n  ports: ["${deaf}"]\n`,
    );
    const io = captureIo();
    const started = Date.now();
    expect(await runModemsCommand(['--config', config, '--timeout-ms', '200', '--json'], io)).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(JSON.parse(io.out())).toEqual([
      expect.objectContaining({ port: deaf, state: 'gone', imei: null }),
    ]);
    expect(io.err()).toContain('nothing answered AT in time [CLI_MODEM_NO_ANSWER]');
  });
});

describe('simbridge modems arguments and config', () => {
  it('prints help, refuses bad options (2), and explains a missing config (2)', async () => {
    let io = captureIo();
    expect(await runModemsCommand(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Stop the service first');
    io = captureIo();
    expect(await runModemsCommand(['--timeout-ms', 'soon'], io)).toBe(2);
    expect(io.err()).toContain('--timeout-ms must be an integer');
    io = captureIo();
    expect(await runModemsCommand(['--config', '/nonexistent/simbridge.yaml'], io)).toBe(2);
    expect(io.err()).toContain('config file not found: /nonexistent/simbridge.yaml');
  });

  it('says when no port matches the globs (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simbridge-noports-'));
    try {
      const config = join(dir, 'c.yaml');
      writeFileSync(
        config,
        `onlinesim:\n  pushUrl: https://p.example/\n  apiKey: k\nmodems:\n  ports: ["${dir}/gsm/*"]\n`,
      );
      const io = captureIo();
      expect(await runModemsCommand(['--config', config], io)).toBe(1);
      expect(io.err()).toContain('no port matches modems.ports');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns permission and missing-device errors into fixes', () => {
    const denied = Object.assign(new Error('Error: Permission denied, cannot open /dev/ttyUSB0'), {
      code: 'AT_PORT_OPEN_FAILED',
    });
    expect(describeProbeError(denied, '/dev/ttyUSB0')).toMatchObject({
      code: 'CLI_PORT_PERMISSION',
      hint: expect.stringContaining('dialout'),
    });
    const missing = new Error('x', { cause: new Error('ENOENT: no such file or directory') });
    expect(describeProbeError(missing, '/dev/gsm/a').code).toBe('CLI_PORT_MISSING');
  });
});
