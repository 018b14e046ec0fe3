import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPty } from '../support/describe-with.js';
import { E2eRig } from './support/e2e-rig.js';
import { delay, waitUntil } from './support/wait.js';

/**
 * The rest of CONTRACT.md §4's answer table against a real `simbridge run`: 429 with a longer
 * Retry-After, resets and timeouts retried, IGNORED / SERVICE_BAN final, a finished operation
 * stops its retries, and `push.maxAgeMs` ends a push as `expired`.
 */

const RETRY_DELAY_MS = 300;
const PUSH_TIMEOUT_MS = 500;
const MAX_AGE_MS = 2_500;

describeWithPty('end to end: PUSH_SMS retry rules', () => {
  let rig: E2eRig;

  beforeAll(async () => {
    rig = await E2eRig.start({
      modems: 2,
      retryDelayMs: RETRY_DELAY_MS,
      pushTimeoutMs: PUSH_TIMEOUT_MS,
      maxAgeMs: MAX_AGE_MS,
    });
  }, 30_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('waits out a 429 Retry-After longer than retryDelayMs, and retries a reset and a timeout', async () => {
    await rig.openOperation(0, 601);
    rig.onlinesim.script(601, [
      { status: 429, body: { status: 'TOO_MANY_ATTEMPTS' }, headers: { 'retry-after': '1' } },
      { reset: true },
      { hang: true },
      { status: 200 },
    ]);
    await rig.sim(0).modem.injectSms({ sender: 'Amazon', text: 'Amazon OTP 246810' });
    await waitUntil(
      () => rig.onlinesim.deliveredFor(601).length === 1,
      'delivery after four attempts',
      10_000,
    );

    const at = rig.onlinesim.pushesFor(601).map((p) => p.request.atMs);
    expect(at).toHaveLength(4);
    const [first = 0, second = 0, third = 0, fourth = 0] = at;
    expect(second - first).toBeGreaterThanOrEqual(1_000);
    expect(third - second).toBeGreaterThanOrEqual(RETRY_DELAY_MS);
    // The hung request is abandoned after the client timeout (undici's timers are coarse, so
    // only bounded here), then retried after retryDelayMs.
    expect(fourth - third).toBeGreaterThanOrEqual(RETRY_DELAY_MS);
    expect(fourth - third).toBeLessThan(PUSH_TIMEOUT_MS + RETRY_DELAY_MS + 1_500);
    // The server counts the 200 when it answers; the bridge records it once the answer arrives.
    const message = await waitUntil(
      async () => (await rig.messagesOf(0)).find((m) => m.status !== 'pending'),
      'the bridge to record the fourth answer',
    );
    expect(message).toMatchObject({ status: 'delivered', push: { attempts: 4 } });
  });

  it('ends a push at once on IGNORED or SERVICE_BAN, whatever the HTTP status', async () => {
    await rig.openOperation(1, 602);
    rig.onlinesim.script(602, [{ status: 200, body: { status: 'IGNORED' } }]);
    await rig.sim(1).modem.injectSms({ sender: 'Netflix', text: 'Netflix code 1357' });
    await waitUntil(() => rig.onlinesim.pushesFor(602).length === 1, 'the IGNORED answer');

    await rig.openOperation(1, 603);
    rig.onlinesim.script(603, [{ status: 403, body: { error: 'SERVICE_BAN' } }]);
    await rig.sim(1).modem.injectSms({ sender: 'Netflix', text: 'Netflix code 2468' });
    await waitUntil(() => rig.onlinesim.pushesFor(603).length === 1, 'the SERVICE_BAN answer');

    await delay(3 * RETRY_DELAY_MS);
    expect(rig.onlinesim.pushesFor(602)).toHaveLength(1);
    expect(rig.onlinesim.pushesFor(603)).toHaveLength(1);
    const rejected = (await rig.messages('rejected')).map((m) => m.operationId).sort();
    expect(rejected).toEqual([602, 603]);
  });

  it('stops retrying when the operation is finished, and expires a push older than maxAgeMs', async () => {
    await rig.openOperation(0, 604);
    rig.onlinesim.script(
      604,
      Array.from({ length: 100 }, () => ({ status: 503 })),
    );
    await rig.sim(0).modem.injectSms({ sender: 'Lyft', text: 'Lyft code 1111' });
    await waitUntil(() => rig.onlinesim.pushesFor(604).length >= 2, 'two failed attempts');
    const ended = await fetch(`${rig.adminUrl}/api/operations/604`, { method: 'DELETE' });
    expect(ended.status).toBe(204);
    const attemptsAtEnd = rig.onlinesim.pushesFor(604).length;

    await rig.openOperation(1, 605);
    rig.onlinesim.script(
      605,
      Array.from({ length: 100 }, () => ({ status: 502 })),
    );
    const queuedAt = Date.now();
    await rig.sim(1).modem.injectSms({ sender: 'Lyft', text: 'Lyft code 2222' });
    await waitUntil(
      async () => (await rig.messages('expired')).some((m) => m.operationId === 605),
      'the push expired',
      MAX_AGE_MS + 3_000,
    );
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(MAX_AGE_MS);
    const expiredAttempts = rig.onlinesim.pushesFor(605).length;
    expect(expiredAttempts).toBeGreaterThanOrEqual(2);

    await delay(2 * RETRY_DELAY_MS);
    // At most the attempt that was already under way when the operation ended.
    expect(rig.onlinesim.pushesFor(604).length).toBeLessThanOrEqual(attemptsAtEnd + 1);
    expect(rig.onlinesim.pushesFor(605)).toHaveLength(expiredAttempts);
    const stopped = (await rig.messagesOf(0)).find((m) => m.operationId === 604);
    expect(stopped).toMatchObject({ status: 'no_operation', push: { state: 'stopped' } });
  });
});
