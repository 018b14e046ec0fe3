import { describe, expect, it } from 'vitest';
import { runDemoCommand } from '../../src/cli/demo-command.js';
import { captureIo } from './capture-io.js';

/** Bad arguments to `simbridge demo` are usage errors: one line saying what is wrong, exit 2. */
describe('simbridge demo argument errors', () => {
  it.each([
    [['--admin-listen', 'nope'], 'simbridge demo: --admin-listen: expected "host:port", got "nope"'],
    [
      ['--admin-listen', '127.0.0.1:70000'],
      'simbridge demo: --admin-listen: expected "host:port", got "127.0.0.1:70000"',
    ],
    [['--modems', '0'], 'simbridge demo: --modems must be an integer from 1 to 64, got "0"'],
  ])('%j', async (argv, firstLine) => {
    const io = captureIo();
    expect(await runDemoCommand(argv, io)).toBe(2);
    const [line, blank, usage] = io.err().split('\n');
    expect(line).toBe(firstLine);
    expect(blank).toBe('');
    expect(usage).toMatch(/^Usage: simbridge demo/);
    expect(io.err()).not.toContain('"code"');
    expect(io.out()).toBe('');
  });
});
