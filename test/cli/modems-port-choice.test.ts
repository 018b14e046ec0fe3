import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runModemsCommand } from '../../src/cli/modems-command.js';
import { EmulatedFarm } from '../../src/emulator/farm.js';
import { describeWithPty } from '../support/describe-with.js';
import { captureIo } from './capture-io.js';

/**
 * `simbridge modems` with every tty of two emulated USB modems in modems.ports: it identifies
 * each modem once, on the port it chose, and says why for every tty.
 */
describeWithPty('simbridge modems on multi-port USB modems', { timeout: 40_000 }, () => {
  const farm = new EmulatedFarm({
    count: 2,
    profiles: ['quectel-ec25', 'huawei-e3372'],
    seed: 5,
    usbPorts: true,
    modemOptions: { bootTimeScale: 0, baudRate: 0 },
  });
  let config = '';

  beforeAll(async () => {
    await farm.start();
    config = join(farm.directory, 'simbridge.yaml');
    writeFileSync(
      config,
      `onlinesim:\n  pushUrl: https://p.example/\n  apiKey: k\nmodems:\n  ports: ["${farm.directory}/modem-*"]\n`,
    );
  });
  afterAll(async () => {
    await farm.stop();
  });

  const args = () => ['--config', config, '--sysfs', farm.sysfsRoot, '--probe-timeout-ms', '200'];

  it('prints one row per modem, on its AT port, with the choice of every tty (--json)', async () => {
    const io = captureIo();
    expect(await runModemsCommand([...args(), '--json'], io)).toBe(0);
    const rows = JSON.parse(io.out()) as {
      port: string;
      iccid: string;
      portChoice: { reason: string; ports: { port: string; verdict: string }[] };
    }[];
    expect(rows.map((r) => r.port).sort()).toEqual([farm.port(0).path, farm.port(1).path].sort());
    const quectel = rows.find((r) => r.port === farm.port(0).path);
    expect(quectel?.iccid).toBe(farm.modem(0).identity.iccid);
    expect(quectel?.portChoice.reason).toBe(
      'answers AT; AT+QURCCFG="urcport" names usbat (if02) as the URC port',
    );
    expect(quectel?.portChoice.ports.map((p) => p.verdict)).toEqual([
      'skipped',
      'skipped',
      'chosen',
      'spare',
    ]);
    // The Quectel DIAG and GPS ports were never opened.
    expect(
      farm
        .auxTtys(0)
        .filter((t) => t.kind !== 'secondary-at')
        .map((t) => t.bytesReceived),
    ).toEqual([0, 0]);
  });

  it('explains the choice in the text output', async () => {
    const io = captureIo();
    expect(await runModemsCommand(args(), io)).toBe(0);
    const out = io.out();
    expect(out).toContain('AT port of each USB modem:');
    expect(out).toMatch(/Huawei 12d1:155e on USB 1-1\.2.*: .*modem-01-if02/);
    expect(out).toMatch(/modem-01-if01\s+silent\s+no OK to AT within 200 ms: silent/);
    expect(out).toMatch(/modem-00-if01\s+skipped\s+the Quectel .* GPS\/NMEA port \(if01\): never opened/);
  });

  it('takes the probe deadline from modems.probeTimeoutMs when the option is not given', async () => {
    const tuned = join(farm.directory, 'tuned.yaml');
    writeFileSync(
      tuned,
      `onlinesim:\n  pushUrl: https://p.example/\n  apiKey: k\nmodems:\n  ports: ["${farm.directory}/modem-01-*"]\n  probeTimeoutMs: 150\n`,
    );
    const io = captureIo();
    expect(await runModemsCommand(['--config', tuned, '--sysfs', farm.sysfsRoot], io)).toBe(0);
    expect(io.out()).toMatch(/modem-01-if01\s+silent\s+no OK to AT within 150 ms: silent/);
  });
});
