import { expect, it } from 'vitest';
import { runKillChaos } from './lib/kill-chaos.js';

/**
 * kill -9 the bridge CHAOS_KILLS times (default 20) during a CHAOS_SMS-message stream (default
 * 5,000) on CHAOS_MODEMS modems (default 16) with a server answering 500 or slowly at random.
 * CHAOS_REFS=colliding makes one sender reuse 8-bit concatenation references to a SIM every 768
 * messages, which a backlog after kills turns into parts of different messages meeting.
 */
it('kill -9 during a stream: nothing lost, duplicates only from the counted window', async () => {
  const report = await runKillChaos({
    modems: Number(process.env.CHAOS_MODEMS ?? 16),
    sms: Number(process.env.CHAOS_SMS ?? 5_000),
    kills: Number(process.env.CHAOS_KILLS ?? 20),
    references: process.env.CHAOS_REFS === 'colliding' ? 'colliding' : 'per-sender',
    log: (line) => console.log(line),
  });
  const { lost, duplicatedKeys, garbled, ...figures } = report;
  console.log(
    JSON.stringify({
      ...figures,
      lost: lost.length,
      lostKeys: lost.slice(0, 20),
      duplicatedKeys: duplicatedKeys.slice(0, 20),
      garbled: garbled.length,
    }),
  );
  for (const push of garbled.slice(0, 10)) console.log(`garbled push (key ${push.key}): ${push.text}`);
  expect(lost).toEqual([]);
  expect(garbled).toEqual([]);
  expect(report.duplicates).toBeLessThanOrEqual(report.duplicateWindow);
});
