import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeFlagsOfUnit, shippedNodeFlags } from '../bench/lib/shipped-node-flags.js';

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

describe('the node options the bridge ships with', () => {
  it('are the same for `npm start` as for the systemd unit', () => {
    const flags = shippedNodeFlags();
    expect(flags.length).toBeGreaterThan(0);
    expect(packageJson.scripts.start).toBe(['node', ...flags, 'dist/cli.js', 'run'].join(' '));
  });

  it('leave a heap limit at least 10 times the live heap of a 64-modem bridge (about 25 MB)', () => {
    // The limit sizes V8's growth steps (garbage is collected sooner); it must never be what a
    // larger farm runs into. A backlog does not count: the outbox is claimed a few at a time.
    const limits = shippedNodeFlags().flatMap((flag) => {
      const match = /^--max-(?:old-space|heap)-size=(\d+)$/.exec(flag);
      return match ? [Number(match[1])] : [];
    });
    for (const megabytes of limits) expect(megabytes).toBeGreaterThanOrEqual(256);
    expect(shippedNodeFlags().some((flag) => /^--max-(?:old-space|heap)-size$/.test(flag))).toBe(false);
  });

  it('are accepted by this node and leave WebAssembly on (pg touches it on Node 20: --jitless broke PostgreSQL farms)', () => {
    const seen = execFileSync(
      process.execPath,
      [...shippedNodeFlags(), '-e', 'process.stdout.write(typeof WebAssembly)'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(seen).toBe('object');
  });

  it('are read from between the node binary and the script, whatever the paths', () => {
    const unit =
      '[Service]\n# ExecStart=/usr/bin/node --old dist/cli.js\nExecStart=/usr/local/bin/node --a=1  --b /srv/x/dist/cli.js run\n';
    expect(nodeFlagsOfUnit(unit)).toEqual(['--a=1', '--b']);
    expect(nodeFlagsOfUnit('ExecStart=/usr/bin/node /opt/simbridge/dist/cli.js run')).toEqual([]);
    expect(() => nodeFlagsOfUnit('[Service]\nType=simple\n')).toThrow(/no ExecStart/);
  });
});
