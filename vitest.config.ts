import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/hardware is included: it skips itself unless MODEM_PORT names a real modem.
    exclude: ['test/bench/**', 'test/chaos/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One line per missing external program (socat, chromium, ...); those tests skip themselves.
    globalSetup: ['./test/support/report-missing-programs.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
