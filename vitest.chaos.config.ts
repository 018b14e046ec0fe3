import { defineConfig } from 'vitest/config';

/**
 * `npm run chaos`: the long chaos runs (kill -9 during a stream, modem faults, server faults).
 * One file at a time: each spawns a bridge and a farm of ptys and needs the CPU to itself.
 * Sizes come from CHAOS_SMS, CHAOS_KILLS and CHAOS_MODEMS.
 */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
