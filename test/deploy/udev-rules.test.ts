import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DeviceUnderTest, evaluateRules, parseRules } from './udev-rules.js';

const rulesText = readFileSync(new URL('../../udev/70-simbridge.rules', import.meta.url), 'utf8');
const PI4_PORT = 'platform-fd500000.pcie-pci-0000:01:00.0-usb-0:1.3';

function tty(vendor: string, model: string, iface: string, drivers: string[] = ['option']): DeviceUnderTest {
  return {
    action: 'add',
    subsystem: 'tty',
    parentSubsystems: ['usb-serial', 'usb'],
    drivers,
    env: {
      ID_BUS: 'usb',
      ID_USB_DRIVER: drivers[0] ?? '',
      ID_VENDOR_ID: vendor,
      ID_MODEL_ID: model,
      ID_USB_INTERFACE_NUM: iface,
      ID_PATH: `${PI4_PORT}:1.${Number(iface)}`,
    },
  };
}

describe('udev/70-simbridge.rules', () => {
  const rules = parseRules(rulesText);

  it('parses as udev rule syntax and every GOTO has its LABEL', () => {
    expect(rules.length).toBeGreaterThan(10);
    const gotos = rules
      .flat()
      .filter((t) => t.key === 'GOTO')
      .map((t) => t.value);
    const labels = rules
      .flat()
      .filter((t) => t.key === 'LABEL')
      .map((t) => t.value);
    for (const target of gotos) expect(labels).toContain(target);
  });

  it('rejects a malformed line (the checker itself can fail)', () => {
    expect(() => parseRules('ENV{ID_VENDOR_ID}=="2c7c" SYMLINK+="x"')).toThrow(/cannot parse/);
    expect(() => parseRules('SYMLINK=="gsm/x"')).toThrow(/cannot be matched/);
  });

  it.each([
    ['Quectel EC25 AT port (if02)', tty('2c7c', '0125', '02'), `gsm/${PI4_PORT}:1.2`],
    ['SIMCom SIM7600 AT port (if02)', tty('1e0e', '9001', '02'), `gsm/${PI4_PORT}:1.2`],
    ['SIMCom A7600E-H AT port (if04)', tty('1e0e', '9011', '04'), `gsm/${PI4_PORT}:1.4`],
    ['SIM800 on a CH340 bridge', tty('1a86', '7523', '00', ['ch341']), `gsm/${PI4_PORT}:1.0`],
    ['Huawei E173 option tty', tty('12d1', '1436', '03'), `gsm/probe/${PI4_PORT}:1.3`],
    ['ZTE MF190 option tty', tty('19d2', '0117', '01'), `gsm/probe/${PI4_PORT}:1.1`],
  ])('names %s by its physical port and keeps ModemManager away', (_name, device, link) => {
    const result = evaluateRules(rules, device);
    expect(result.symlinks).toEqual([link]);
    expect(result.group).toBe('dialout');
    expect(result.mode).toBe('0660');
    expect(result.env.ID_MM_DEVICE_IGNORE).toBe('1');
  });

  it.each([
    ['Quectel DIAG port (if00)', tty('2c7c', '0125', '00')],
    ['Quectel NMEA port (if01)', tty('2c7c', '0125', '01')],
    ['SIMCom A7600E-H if02 (not AT)', tty('1e0e', '9011', '02')],
  ])('gives no link to the %s but keeps ModemManager off it', (_name, device) => {
    const result = evaluateRules(rules, device);
    expect(result.symlinks).toEqual([]);
    expect(result.env.ID_MM_DEVICE_IGNORE).toBe('1');
  });

  it('leaves an unrelated USB serial device alone', () => {
    const result = evaluateRules(rules, tty('067b', '2303', '00', ['pl2303']));
    expect(result.symlinks).toEqual([]);
    expect(result.env.ID_MM_DEVICE_IGNORE).toBeUndefined();
  });

  it('leaves a tty that is not on USB alone', () => {
    const uart = { action: 'add', subsystem: 'tty', parentSubsystems: ['platform'], drivers: [], env: {} };
    expect(evaluateRules(rules, uart).symlinks).toEqual([]);
  });

  it('sees, like udev, that a SUBSYSTEMS!= guard is true for the tty itself', () => {
    const guarded = parseRules(
      `SUBSYSTEMS!="usb", GOTO="end"\nENV{ID_VENDOR_ID}=="2c7c", SYMLINK+="gsm/x"\nLABEL="end"\n`,
    );
    expect(evaluateRules(guarded, tty('2c7c', '0125', '02')).symlinks).toEqual([]);
  });

  it('does nothing on remove events', () => {
    expect(evaluateRules(rules, { ...tty('2c7c', '0125', '02'), action: 'remove' }).symlinks).toEqual([]);
  });
});

describe('config/simbridge.service', () => {
  it('passes systemd-analyze verify where systemd is installed', () => {
    const run = spawnSync('systemd-analyze', ['verify', 'config/simbridge.service'], { encoding: 'utf8' });
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return; // no systemd here
    const output = `${run.stdout}${run.stderr}`;
    // Only problems with the unit itself count; a missing /usr/bin/node on a build box does not.
    const problems = output
      .split('\n')
      .filter((l) => l.includes('simbridge.service') && !l.includes('/usr/bin/node'));
    expect(problems).toEqual([]);
  });
});
