import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/dispatch.js';
import { captureIo } from './capture-io.js';

/** Every view command answers --help with its usage and exit 0, and a bad option with exit 2. */
describe.each(['modems', 'messages', 'ops', 'doctor'])('simbridge %s through the dispatcher', (name) => {
  it('prints its usage for --help and -h', async () => {
    for (const flag of ['--help', '-h']) {
      const io = captureIo();
      expect(await main([name, flag], io)).toBe(0);
      expect(io.out()).toContain(`simbridge ${name}`);
      expect(io.out()).toContain('Exit codes');
    }
  });

  it('refuses an unknown option with exit 2 and the usage on stderr', async () => {
    const io = captureIo();
    expect(await main([name, '--no-such-option'], io)).toBe(2);
    expect(io.err()).toContain("Unknown option '--no-such-option'");
    expect(io.err()).toContain('Usage:');
    expect(io.out()).toBe('');
  });
});

describe('simbridge <unknown command>', () => {
  it.each(['frobnicate', 'constructor', 'toString', '__proto__'])(
    'refuses "%s" with exit 2 and the command list',
    async (name) => {
      const io = captureIo();
      expect(await main([name], io)).toBe(2);
      expect(io.err()).toContain(`unknown command "${name}"`);
      expect(io.err()).toContain('Commands:');
    },
  );
});
