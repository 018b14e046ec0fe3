import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWith } from '../support/describe-with.js';

const UNIT_PATH = 'config/simbridge.service';

/** `Key=value` lines of the unit, every value of a key in order (comments and sections left out). */
function directives(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    result.set(key, [...(result.get(key) ?? []), line.slice(eq + 1)]);
  }
  return result;
}

const unit = directives(readFileSync(UNIT_PATH, 'utf8'));
const only = (key: string) => unit.get(key) ?? [];

describe('config/simbridge.service hardening', () => {
  it.each([
    // Files the daemon creates (database, WAL) are not readable by other users.
    ['UMask', '0027'],
    // A daemon that opens ttys and sockets needs no capability at all.
    ['CapabilityBoundingSet', ''],
    ['SystemCallFilter', '@system-service'],
    ['SystemCallArchitectures', 'native'],
    ['ProtectProc', 'invisible'],
    ['ProcSubset', 'pid'],
    ['NoNewPrivileges', 'yes'],
    ['ProtectSystem', 'strict'],
    // The state directory holds every SMS: only the service user enters it.
    ['StateDirectoryMode', '0700'],
  ])('sets %s=%s', (key, value) => {
    expect(only(key)).toEqual([value]);
  });

  it('does not wait for systemd-udev-settle (deprecated; hotplug is rescanned anyway)', () => {
    expect(only('After').join(' ')).not.toContain('systemd-udev-settle');
    expect(only('Wants').join(' ')).not.toContain('systemd-udev-settle');
  });

  it('does not restart on exit 2 (an invalid config), and runs as the simbridge user', () => {
    expect(only('RestartPreventExitStatus')).toEqual(['2']);
    expect(only('User')).toEqual(['simbridge']);
  });
});

describeWith('systemd-analyze')('config/simbridge.service under systemd-analyze', () => {
  it('passes systemd-analyze verify (a missing /usr/bin/node on a build box aside)', () => {
    const run = spawnSync('systemd-analyze', ['verify', UNIT_PATH], { encoding: 'utf8' });
    const problems = `${run.stdout}${run.stderr}`
      .split('\n')
      .filter((line) => line.includes('simbridge.service') && !line.includes('/usr/bin/node'));
    expect(problems).toEqual([]);
  });

  it('reports an exposure level of 2.0 or better (systemd-analyze security --offline)', () => {
    const run = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', UNIT_PATH], {
      encoding: 'utf8',
    });
    const output = `${run.stdout}${run.stderr}`;
    const level = /Overall exposure level for simbridge\.service: ([\d.]+)/.exec(output);
    expect(level, output).not.toBeNull();
    expect(Number(level?.[1])).toBeLessThanOrEqual(2.0);
  });
});
