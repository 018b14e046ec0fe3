import { expect, it } from 'vitest';
import { runKillChaos } from './chaos/lib/kill-chaos.js';

/**
 * A small version of `npm run chaos` (test/chaos/kill-restart.chaos.ts) inside `npm test`:
 * the bridge as its own process is killed with SIGKILL 3 times during a 300-SMS stream on 4
 * emulated modems with a flaky server. Nothing may be lost, and a message pushed twice may only
 * come from the 200-before-commit window the bridge counts at start-up.
 */
it('kill -9 three times during a 300-SMS stream loses nothing', async () => {
  const report = await runKillChaos({ modems: 4, sms: 300, kills: 3, drainLimitMs: 20_000 });
  expect(report.lost).toEqual([]);
  expect(report.delivered).toBe(300);
  expect(report.garbled).toEqual([]);
  expect(report.duplicates).toBeLessThanOrEqual(report.duplicateWindow);
}, 60_000);
