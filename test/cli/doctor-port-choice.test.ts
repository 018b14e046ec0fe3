import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkPorts, UDEV_RULES_PATH } from '../../src/cli/doctor/checks-local.js';
import { checkPortChoice } from '../../src/cli/doctor/checks-ports.js';
import { nodeSystem } from '../../src/cli/doctor/system.js';
import { formatReport } from '../../src/cli/doctor-command.js';
import { parseConfigText } from '../../src/config/load-config.js';
import { EmulatedFarm } from '../../src/emulator/farm.js';
import { describeWithPty } from '../support/describe-with.js';

/** `doctor`'s port-choice check on emulated USB modems behind real ptys. */
describeWithPty('doctor port-choice', { timeout: 40_000 }, () => {
  const farm = new EmulatedFarm({
    count: 3,
    profiles: ['simcom-sim7600', 'generic', 'zte-mf190'],
    seed: 9,
    usbPorts: true,
    modemOptions: { bootTimeScale: 0, baudRate: 0 },
  });
  beforeAll(() => farm.start());
  afterAll(() => farm.stop());

  const ctx = (...ports: string[]) => ({
    system: nodeSystem({ sysfsRoot: farm.sysfsRoot }),
    configPath: 'test.yaml',
    config: parseConfigText(
      `onlinesim:\n  pushUrl: https://p.example/\n  apiKey: k\nmodems:\n  ports: ${JSON.stringify(ports)}\n`,
      {},
    ),
    configError: null,
  });

  it('names the AT port of each USB modem and why, with every tty in the why lines', async () => {
    const results = await checkPortChoice(
      ctx(`${farm.directory}/modem-00-*`, `${farm.directory}/modem-01-*`),
    );
    expect(results.map((r) => [r.status, r.summary])).toEqual([
      [
        'pass',
        `SIMCom SIM7600/SIM7000/SIM7080 1e0e:9001 on USB 1-1.1, serial EMU${farm.modem(0).identity.imei.slice(-8)}: AT port ${farm.port(0).path} (answers AT; the SIMCom SIM7600/SIM7000/SIM7080 primary AT port (if02))`,
      ],
      [
        'pass',
        `USB device 1a86:7523 on USB 1-1.2, serial EMU${farm.modem(1).identity.imei.slice(-8)}: AT port ${farm.port(1).path} (the only tty of this device that may speak AT (if00))`,
      ],
    ]);
    const report = formatReport(results);
    expect(report).toContain(
      `${farm.directory}/modem-00-if01: skipped, the SIMCom SIM7600/SIM7000/SIM7080 GPS/NMEA port`,
    );
    expect(report).toContain(`${farm.directory}/modem-00-if03: spare, answers AT too`);
  });

  it('warns, with what each tty did, when no tty of a modem answers AT', async () => {
    farm.modem(2).hang();
    try {
      const tty = (n: number) => `${farm.directory}/modem-02-if0${n}`;
      const [result, ...rest] = await checkPortChoice(ctx(tty(0), tty(1)));
      expect(rest).toEqual([]);
      expect(result).toMatchObject({
        status: 'warn',
        summary: expect.stringMatching(/^ZTE 19d2:0117 .*: no tty answers AT$/),
      });
      expect(result?.why).toContain(`${tty(1)}: silent, no OK to AT within 500 ms: silent`);
      expect(result?.fix).toContain('boot');
    } finally {
      farm.modem(2).unhang();
    }
  });

  it('warns when modems.ports reaches only the ports a layout never opens', async () => {
    const tty = (n: number) => `${farm.directory}/modem-00-if0${n}`;
    const [result] = await checkPortChoice(ctx(tty(0), tty(1), tty(4)));
    expect(result).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('none of its ttys in modems.ports may speak AT'),
      fix: expect.stringContaining('modems.ports'),
    });
  });

  it('gives a udev fix that works from any directory: the absolute path of the shipped rules', async () => {
    const [result] = await checkPorts(ctx(`${farm.directory}/none-*`));
    expect(result?.status).toBe('fail');
    expect(result?.fix).toContain(`sudo cp ${UDEV_RULES_PATH} /etc/udev/rules.d/`);
    expect(UDEV_RULES_PATH.startsWith('/')).toBe(true);
    expect(existsSync(UDEV_RULES_PATH)).toBe(true);
    expect(result?.fix).toContain('/dev/gsm/probe/*');
  });
});
