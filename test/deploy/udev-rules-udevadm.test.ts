import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FakeUsbDevice, FakeUsbInterface } from '../../src/emulator/fake-sysfs.js';
import { groupId, runUdevTest, udevadmUnavailable } from './udevadm-harness.js';

/**
 * The shipped rules under the real udev (`udevadm test`), on fake USB ttys: what an operator's
 * Pi does when a modem is plugged in. Skipped, with one line, where udevadm cannot run.
 */

const RULES = readFileSync(new URL('../../udev/70-simbridge.rules', import.meta.url), 'utf8');
const unavailable = udevadmUnavailable();
if (unavailable) console.warn(`skipping the udevadm tests of udev/70-simbridge.rules: ${unavailable}`);

/** ID_PATH that udev's path_id gives a device on port 1.3 of the fake tree's controller. */
const SLOT = 'platform-3f980000.usb-usb-0:1.3';

function stick(vendorId: string, productId: string, interfaces: FakeUsbInterface[]): FakeUsbDevice {
  return { busPort: '1-1.3', vendorId, productId, serial: '0123456789', interfaces };
}

function optionTtys(count: number): FakeUsbInterface[] {
  return Array.from({ length: count }, (_, n) => ({ number: n, driver: 'option', tty: `ttyUSB${n}` }));
}

function test(device: FakeUsbDevice, tty: string, extraRules: Record<string, string> = {}) {
  return runUdevTest({ devices: [device], rules: { '70-simbridge.rules': RULES, ...extraRules }, tty });
}

describe.skipIf(unavailable !== null)('udev/70-simbridge.rules under udevadm test', () => {
  const dialout = groupId('dialout');

  it.each([
    ['Quectel EC25 AT port (if02)', stick('2c7c', '0125', optionTtys(4)), 'ttyUSB2', `gsm/${SLOT}:1.2`],
    ['SIMCom SIM7600 AT port (if02)', stick('1e0e', '9001', optionTtys(5)), 'ttyUSB2', `gsm/${SLOT}:1.2`],
    ['SIMCom A7600E-H AT port (if04)', stick('1e0e', '9011', optionTtys(5)), 'ttyUSB4', `gsm/${SLOT}:1.4`],
    [
      'SIM800 on a CH340 bridge',
      stick('1a86', '7523', [{ number: 0, driver: 'ch341', tty: 'ttyUSB0' }]),
      'ttyUSB0',
      `gsm/${SLOT}:1.0`,
    ],
    ['Huawei E173 option tty', stick('12d1', '1436', optionTtys(5)), 'ttyUSB3', `gsm/probe/${SLOT}:1.3`],
    ['ZTE MF190 option tty', stick('19d2', '0117', optionTtys(3)), 'ttyUSB1', `gsm/probe/${SLOT}:1.1`],
  ])('names the %s by its physical port, for dialout, away from ModemManager', (_name, device, tty, link) => {
    const result = test(device, tty);
    expect(result.links).toEqual([link]);
    expect(result.properties.ID_MM_DEVICE_IGNORE).toBe('1');
    expect(result.gid).toBe(dialout);
    expect(result.mode).toBe('0660');
  });

  it.each([
    ['Quectel DIAG port (if00)', stick('2c7c', '0125', optionTtys(4)), 'ttyUSB0'],
    ['Quectel NMEA port (if01)', stick('2c7c', '0125', optionTtys(4)), 'ttyUSB1'],
    ['Quectel secondary AT port (if03)', stick('2c7c', '0125', optionTtys(4)), 'ttyUSB3'],
    ['SIMCom A7600E-H if02 (not AT)', stick('1e0e', '9011', optionTtys(5)), 'ttyUSB2'],
  ])('gives no link to the %s, yet keeps ModemManager off it', (_name, device, tty) => {
    const result = test(device, tty);
    expect(result.links).toEqual([]);
    expect(result.properties.ID_MM_DEVICE_IGNORE).toBe('1');
  });

  it('leaves an unrelated USB serial adapter alone', () => {
    const result = test(stick('067b', '2303', [{ number: 0, driver: 'pl2303', tty: 'ttyUSB0' }]), 'ttyUSB0');
    expect(result.properties.ID_BUS).toBe('usb');
    expect(result.links).toEqual([]);
    expect(result.properties.ID_MM_DEVICE_IGNORE).toBeUndefined();
    expect(result.gid).toBeNull();
  });

  it('leaves a tty that is not on USB alone (a Pi UART)', () => {
    const result = runUdevTest({
      devices: [],
      platformTty: 'ttyAMA0',
      rules: { '70-simbridge.rules': RULES },
      tty: 'ttyAMA0',
    });
    expect(result.properties.SUBSYSTEM).toBe('tty');
    expect(result.properties.ID_BUS).toBeUndefined();
    expect(result.links).toEqual([]);
  });

  it('does nothing on remove events', () => {
    const result = runUdevTest({
      devices: [stick('2c7c', '0125', optionTtys(4))],
      rules: { '70-simbridge.rules': RULES },
      tty: 'ttyUSB2',
      action: 'remove',
    });
    expect(result.properties.SIMBRIDGE_PORT).toBeUndefined();
    expect(result.properties.ID_MM_DEVICE_IGNORE).toBeUndefined();
  });

  it('lets a local rule pin a probed Huawei interface as written in the commented example', () => {
    const example = /^# (ENV\{ID_VENDOR_ID\}=="12d1".*)$/m.exec(RULES)?.[1] ?? '';
    expect(example).toContain('SYMLINK+=');
    const result = test(stick('12d1', '1506', optionTtys(2)), 'ttyUSB0', {
      '71-simbridge-local.rules': `${example}\n`,
    });
    expect(result.links).toEqual([`gsm/${SLOT}:1.0`, `gsm/probe/${SLOT}:1.0`]);
  });

  it('catches rules that match nothing: the old SUBSYSTEMS!= guard skips every tty', () => {
    const guard = RULES.replace(
      'IMPORT{builtin}="usb_id"\n',
      'SUBSYSTEMS!="usb", GOTO="simbridge_end"\nIMPORT{builtin}="usb_id"\n',
    );
    expect(guard).not.toBe(RULES);
    const result = runUdevTest({
      devices: [stick('2c7c', '0125', optionTtys(4))],
      rules: { '70-simbridge.rules': guard },
      tty: 'ttyUSB2',
    });
    expect(result.links).toEqual([]);
  });
});
