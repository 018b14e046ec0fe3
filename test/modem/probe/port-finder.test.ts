import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUsbDevice, writeFakeSysfs } from '../../../src/emulator/fake-sysfs.js';
import { silentLogger } from '../../../src/log.js';
import { PortFinder } from '../../../src/modem/probe/port-finder.js';
import { readUsbPortInfo } from '../../../src/modem/probe/usb-sysfs.js';
import { atPort, type ScriptedPort, silentPort } from './scripted-port.js';

/**
 * Character devices every Linux has stand for a stick's ttys: links to them are the ports, and
 * the fake sysfs ties their device numbers to USB interfaces.
 */
const DEVICES = [
  { dev: '/dev/null', major: 1, minor: 3 },
  { dev: '/dev/zero', major: 1, minor: 5 },
  { dev: '/dev/full', major: 1, minor: 7 },
] as const;

const huawei: FakeUsbDevice = {
  busPort: '1-1.4',
  vendorId: '12d1',
  productId: '1506',
  serial: 'H1',
  interfaces: DEVICES.map((d, n) => ({
    number: n,
    driver: 'option',
    tty: `ttyUSB${n}`,
    devNumber: { major: d.major, minor: d.minor },
  })),
};

describe('readUsbPortInfo', () => {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'simbridge-sysfs-'));
    writeFakeSysfs(join(root, 'sys'), [huawei]);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the USB device and interface of a tty through its device number', async () => {
    symlinkSync('/dev/zero', join(root, 'port'));
    expect(await readUsbPortInfo(join(root, 'port'), join(root, 'sys'))).toEqual({
      deviceKey: join(root, 'sys/devices/platform/soc/3f980000.usb/usb1/1-1/1-1.4'),
      busPort: '1-1.4',
      vendorId: '12d1',
      productId: '1506',
      serial: 'H1',
      interfaceNumber: 1,
      driver: 'option',
      devNumber: '1:5',
    });
  });

  it('says null for a tty sysfs does not place on USB, and for what is no tty', async () => {
    expect(await readUsbPortInfo('/dev/urandom', join(root, 'sys'))).toBeNull();
    expect(await readUsbPortInfo(join(root, 'sys'), join(root, 'sys'))).toBeNull();
    expect(await readUsbPortInfo('/dev/null', join(root, 'nowhere'))).toBeNull();
  });
});

describe('PortFinder', () => {
  let dir = '';
  let now = 0;
  let ports: Map<string, ScriptedPort>;
  let opened: string[];
  let finder: PortFinder;
  const path = (n: number) => join(dir, `if0${n}`);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'simbridge-finder-'));
    writeFakeSysfs(join(dir, 'sys'), [huawei]);
    for (const [n, d] of DEVICES.entries()) symlinkSync(d.dev, path(n));
    now = 0;
    opened = [];
    ports = new Map([
      [path(0), silentPort('a')],
      [path(1), silentPort('b')],
      [path(2), silentPort('c')],
    ]);
    finder = new PortFinder({
      sysfsRoot: join(dir, 'sys'),
      log: silentLogger(),
      timings: { answerTimeoutMs: 30, attempts: 1 },
      settleMs: 1_000,
      retryNoAnswerMs: 5_000,
      now: () => now,
      openChannel: async (p) => {
        opened.push(p);
        const port = ports.get(p);
        if (!port) throw new Error(`ENOENT ${p}`);
        return port;
      },
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const all = () => [path(0), path(1), path(2)];

  it('waits for the ttys of a stick to settle, probes once, and keeps the choice', async () => {
    ports.set(path(1), atPort('pcui'));
    expect(await finder.select(all(), new Set())).toEqual([]);
    now = 500;
    expect(await finder.select(all(), new Set())).toEqual([]);
    expect(opened).toEqual([]);
    now = 1_000;
    expect(await finder.select(all(), new Set())).toEqual([path(1)]);
    expect(opened.sort()).toEqual(all());
    now = 60_000;
    expect(await finder.select(all(), new Set())).toEqual([path(1)]);
    expect(opened).toHaveLength(3);
    expect(finder.choices()[0]?.label).toBe('Huawei 12d1:1506 on USB 1-1.4, serial H1');
  });

  it('probes a stick where nothing answered again only after the retry delay', async () => {
    await finder.select(all(), new Set());
    now = 1_000;
    expect(await finder.select(all(), new Set())).toEqual([]);
    expect(opened).toHaveLength(3);
    now = 5_999;
    await finder.select(all(), new Set());
    expect(opened).toHaveLength(3);
    ports.set(path(2), atPort('booted'));
    now = 6_000;
    expect(await finder.select(all(), new Set())).toEqual([path(2)]);
    expect(opened).toHaveLength(6);
  });

  it('never probes a stick whose port a driver holds, and decides again when its ttys change', async () => {
    expect(await finder.select(all(), new Set([path(0)]))).toEqual([path(0)]);
    now = 5_000;
    expect(await finder.select(all(), new Set([path(0)]))).toEqual([path(0)]);
    expect(opened).toEqual([]);
    // Unplugged and back with one tty fewer: a new set, settled, then probed.
    unlinkSync(path(0));
    ports.set(path(2), atPort('at'));
    const two = [path(1), path(2)];
    expect(await finder.select(two, new Set())).toEqual([]);
    now = 6_000;
    expect(await finder.select(two, new Set())).toEqual([path(2)]);
  });
});
