import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MockAnswer } from '../../src/push/mock-onlinesim.js';
import { BenchRig, type PushArrival } from '../bench/lib/bench-rig.js';
import { seededRandom } from '../bench/lib/message-stream.js';
import { CHAOS_TIMINGS } from './lib/kill-chaos.js';
import { ChaosStream } from './lib/stream.js';
import { tally } from './lib/tally.js';

/**
 * Server faults during a stream: 500s, 429 with Retry-After, answers later than the bridge's
 * timeout, connections dropped without an answer, and a long outage. Two SIMs' operations are
 * refused for good (NO_OPERATION, BAD_SERVICE). 0 lost; consecutive attempts of one message at
 * least `retryDelayMs` apart (Retry-After when larger); refused messages never sent again.
 */
const SMS = Number(process.env.CHAOS_SERVER_SMS ?? 600);
const RATE_PER_S = 40;
const RETRY_DELAY_MS = CHAOS_TIMINGS.push.retryDelayMs;
const TIMEOUT_MS = CHAOS_TIMINGS.push.timeoutMs;
const RETRY_AFTER_S = 1;
const OUTAGE = { fromMs: 5_000, toMs: 11_000 };
const NO_OPERATION_SLOT = 6;
const BAD_SERVICE_SLOT = 7;

let rig: BenchRig;
let operations: Map<number, number>;
beforeAll(async () => {
  rig = await BenchRig.start({
    modems: 8,
    push: CHAOS_TIMINGS.push,
    modemTimings: CHAOS_TIMINGS.modemTimings,
    multipart: CHAOS_TIMINGS.multipart,
  });
  operations = await rig.openOperations();
});
afterAll(async () => {
  await rig?.close();
});

it('server faults: nothing lost, retries spaced, final refusals never retried', async () => {
  const random = seededRandom(23);
  const started = Date.now();
  const refused = new Map<number, MockAnswer>([
    [operations.get(NO_OPERATION_SLOT) as number, { status: 400, body: { response: 'NO_OPERATION' } }],
    [operations.get(BAD_SERVICE_SLOT) as number, { status: 200, body: { response: 'BAD_SERVICE' } }],
  ]);
  rig.setAnswer((request) => {
    const smsId = (request.body as { smsId?: number } | null)?.smsId ?? -1;
    const final = refused.get(smsId);
    if (final) return final;
    const elapsed = Date.now() - started;
    if (elapsed >= OUTAGE.fromMs && elapsed < OUTAGE.toMs) {
      return random() < 0.5 ? { status: 503, body: 'maintenance' } : { reset: true };
    }
    const roll = random();
    if (roll < 0.1) return { status: 500, body: 'internal error' };
    if (roll < 0.2) {
      return {
        status: 429,
        body: { response: 'TOO_MANY_ATTEMPTS' },
        headers: { 'retry-after': String(RETRY_AFTER_S) },
      };
    }
    if (roll < 0.25) return { status: 200, body: { status: 'SUCCESS' }, delayMs: TIMEOUT_MS + 500 };
    if (roll < 0.3) return { reset: true };
    return { status: 200, body: { status: 'SUCCESS' } };
  });

  const stream = new ChaosStream(rig, 17);
  await stream.run(SMS, RATE_PER_S);
  const refusedSlots = new Set([NO_OPERATION_SLOT, BAD_SERVICE_SLOT]);
  const expected = stream.keys.filter((key) => !refusedSlots.has(stream.slotOf.get(key) ?? -1));
  const refusedKeys = stream.keys.filter((key) => refusedSlots.has(stream.slotOf.get(key) ?? -1));
  await stream.drain(expected, 90_000);

  const result = tally(expected, rig.pushes, (key) => stream.textOf(key));
  const attempts = new Map<number, PushArrival[]>();
  for (const push of rig.pushes) {
    if (push.key === null) continue;
    attempts.set(push.key, [...(attempts.get(push.key) ?? []), push]);
  }
  const tooSoon: string[] = [];
  let retries = 0;
  let minGapAfterRetryableMs = Number.POSITIVE_INFINITY;
  for (const [key, list] of attempts) {
    for (let i = 1; i < list.length; i++) {
      const previous = list[i - 1] as PushArrival;
      const gap = (list[i] as PushArrival).atMs - previous.atMs;
      const wanted = previous.status === 429 ? RETRY_AFTER_S * 1000 : RETRY_DELAY_MS;
      retries += 1;
      if (previous.status !== 429) minGapAfterRetryableMs = Math.min(minGapAfterRetryableMs, gap);
      if (gap < wanted - 5) tooSoon.push(`key ${key}: ${Math.round(gap)} ms after a ${previous.status}`);
    }
  }
  const refusedAttempts = refusedKeys.map((key) => attempts.get(key)?.length ?? 0);
  const answers: Record<string, number> = {};
  for (const push of rig.pushes) answers[push.status] = (answers[push.status] ?? 0) + 1;
  console.log(
    JSON.stringify({
      injected: stream.keys.length,
      expected: expected.length,
      delivered: result.delivered,
      lost: result.lost.length,
      garbled: result.garbled.length,
      duplicates: result.duplicates,
      retries,
      retriesTooSoon: tooSoon.length,
      retryDelayMs: RETRY_DELAY_MS,
      minGapAfterRetryableMs: Math.round(minGapAfterRetryableMs),
      refused: refusedKeys.length,
      refusedSentMoreThanOnce: refusedAttempts.filter((n) => n > 1).length,
      answers,
    }),
  );
  for (const push of result.garbled.slice(0, 10)) console.log(`garbled push (key ${push.key}): ${push.text}`);
  expect(result.lost).toEqual([]);
  expect(result.garbled).toEqual([]);
  expect(tooSoon).toEqual([]);
  expect(refusedAttempts.every((n) => n === 1)).toBe(true);
});
