import { describe, expect, it } from 'vitest';
import { harness, settled } from './worker-harness.js';

/** Lines the worker logged at `level` or above (pino levels: 50 error, 30 info). */
function logged(lines: readonly string[], level: number): { level: number; msg: string }[] {
  return lines
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((line) => line.level >= level);
}

describe('PushWorker when Onlinesim refuses the key', () => {
  it.each([
    ['HTTP 401', { status: 401, body: '' }],
    ['ERROR_WRONG_KEY in a 403', { status: 403, body: { status: 'ERROR', error: 'ERROR_WRONG_KEY' } }],
  ] as const)(
    '%s: one error logged at once, keyRefused set, the push retried until the key is accepted',
    async (_name, refusal) => {
      const h = await harness([refusal, refusal, { status: 200 }]);
      const push = h.store.add({}, h.time.nowMs);
      expect(h.worker.health.keyRefused).toBe(false);
      h.worker.start();
      await settled(h, 1);
      expect(h.worker.health.snapshot()).toEqual({ keyRefused: true, keyRefusedSinceMs: h.time.nowMs });
      const errors = logged(h.logLines, 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.msg).toMatch(/refuses the API key/);
      expect(h.store.pushes[0]).toMatchObject({ state: 'pending' });

      // Still refused: sent again on the retry schedule, and no second error line.
      h.time.fireNext();
      await settled(h, 2);
      expect(h.worker.health.keyRefused).toBe(true);
      expect(logged(h.logLines, 50)).toHaveLength(1);

      h.time.fireNext();
      await settled(h, 3);
      expect(h.store.attemptsOf(push.id).map((a) => a.httpStatus)).toEqual([
        refusal.status,
        refusal.status,
        200,
      ]);
      expect(h.store.pushes[0]).toMatchObject({ state: 'delivered' });
      expect(h.worker.health.snapshot()).toEqual({ keyRefused: false, keyRefusedSinceMs: null });
      expect(logged(h.logLines, 30).some((line) => /accepts the API key again/.test(line.msg))).toBe(true);
    },
  );

  it('a 500 while refused proves nothing about the key: the flag stays', async () => {
    const h = await harness([{ status: 401 }, { status: 500 }]);
    h.store.add({}, h.time.nowMs);
    h.worker.start();
    await settled(h, 1);
    h.time.fireNext();
    await settled(h, 2);
    expect(h.store.attempts.map((a) => a.httpStatus)).toEqual([401, 500]);
    expect(h.worker.health.keyRefused).toBe(true);
  });
});
