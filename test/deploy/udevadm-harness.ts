import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeUsbDevice, writeFakeSysfs } from '../../src/emulator/fake-sysfs.js';

/**
 * Runs the real `udevadm test` on a fake USB tty: a private mount namespace (unshare) gets the
 * fake sysfs tree over /sys, only the rules under test in udev's rules directories, and empty
 * tmpfs over /dev and /run/udev, so nothing of the host is read or written.
 */

/** Why the real udevadm cannot run here, or null when it can. */
export function udevadmUnavailable(): string | null {
  const version = spawnSync('udevadm', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return 'install udev (Debian: apt-get install udev)';
  const ns = spawnSync('unshare', [...unshareArgs(), 'true'], { encoding: 'utf8' });
  if (ns.error || ns.status !== 0) {
    return `install util-linux and allow mount namespaces (unshare said: ${(ns.stderr ?? String(ns.error)).trim()})`;
  }
  return null;
}

function unshareArgs(): string[] {
  // Root gets a mount namespace directly; anyone else needs a user namespace mapping them to root.
  return process.getuid?.() === 0
    ? ['--mount', '--propagation', 'private']
    : ['--user', '--map-root-user', '--mount'];
}

export interface UdevTestResult {
  /** Properties of the device after the rules, as udevadm prints them. */
  properties: Record<string, string>;
  /** `DEVLINKS`, split, without the `/dev/` prefix. */
  links: string[];
  /** Group id the rules set, or null. */
  gid: number | null;
  mode: string | null;
  output: string;
}

const SCRIPT = `set -e
mount --bind "$1" /sys
mount --bind "$2" /usr/lib/udev/rules.d
mount -t tmpfs none /etc/udev/rules.d
mkdir -p /run/udev && mount -t tmpfs none /run/udev
mount -t tmpfs none /dev
SYSTEMD_DEVICE_VERIFY_SYSFS=0 udevadm test --action="$3" "$4"
`;

export interface UdevTestInput {
  devices: readonly FakeUsbDevice[];
  /** Rules files by name, e.g. `{ '70-simbridge.rules': text }`. */
  rules: Record<string, string>;
  /** Kernel name of the tty to test, e.g. `ttyUSB2`. */
  tty: string;
  action?: 'add' | 'remove' | 'change';
  /** Adds a tty that is not on USB (like a Pi's ttyAMA0) to the tree. */
  platformTty?: string;
}

export function runUdevTest(input: UdevTestInput): UdevTestResult {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-udev-'));
  try {
    const sys = join(dir, 'sys');
    const rules = join(dir, 'rules');
    writeFakeSysfs(sys, input.devices);
    if (input.platformTty) writePlatformTty(sys, input.platformTty);
    mkdirSync(rules);
    for (const [name, text] of Object.entries(input.rules)) writeFileSync(join(rules, name), text);
    const run = spawnSync(
      'unshare',
      [
        ...unshareArgs(),
        'sh',
        '-c',
        SCRIPT,
        'sh',
        sys,
        rules,
        input.action ?? 'add',
        `/sys/class/tty/${input.tty}`,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) throw new Error(`udevadm test failed (${run.status}):\n${output}`);
    return parseUdevTest(output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writePlatformTty(sys: string, tty: string): void {
  const ttyDir = join(sys, 'devices', 'platform', 'fe201000.serial', 'tty', tty);
  mkdirSync(ttyDir, { recursive: true });
  writeFileSync(join(ttyDir, 'uevent'), `MAJOR=204\nMINOR=64\nDEVNAME=${tty}\n`);
  writeFileSync(join(ttyDir, 'dev'), '204:64\n');
  symlinkSync('../../../../class/tty', join(ttyDir, 'subsystem'));
  symlinkSync(`../../devices/platform/fe201000.serial/tty/${tty}`, join(sys, 'class', 'tty', tty));
}

function parseUdevTest(output: string): UdevTestResult {
  const properties: Record<string, string> = {};
  // The property dump follows udevadm's closing disclaimer; debug lines above it look alike.
  const dump = output.slice(output.lastIndexOf('simulation run.'));
  for (const line of dump.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1]) properties[match[1]] = match[2] ?? '';
  }
  const links = (properties.DEVLINKS ?? '')
    .split(' ')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\/dev\//, ''))
    .sort();
  const gid = /\sGROUP (\d+)\s/.exec(output)?.[1];
  const mode = /\sMODE (\d+)\s/.exec(output)?.[1];
  return { properties, links, gid: gid === undefined ? null : Number(gid), mode: mode ?? null, output };
}

/** Gid of a group in this machine's /etc/group (what udev resolves GROUP= with), or null. */
export function groupId(name: string): number | null {
  const text = readFileSync('/etc/group', 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(`${name}:`));
  return line ? Number(line.split(':')[2]) : null;
}
