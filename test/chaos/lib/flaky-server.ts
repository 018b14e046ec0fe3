import type { MockAnswer } from '../../../src/push/mock-onlinesim.js';
import type { PushAnswerer } from '../../bench/lib/bench-rig.js';
import { seededRandom } from '../../bench/lib/message-stream.js';

/**
 * Answers of an unreliable Onlinesim: some 500s, some slow (but within the bridge's timeout, so
 * a 200 the server gave is also a 200 the bridge saw, unless the bridge dies meanwhile).
 */
export interface FlakyServerOptions {
  /** Share of requests answered 500. */
  errorRate?: number;
  /** Share of requests answered late. */
  slowRate?: number;
  slowMs?: number;
  seed?: number;
}

export function flakyServer(options: FlakyServerOptions = {}): PushAnswerer {
  const random = seededRandom(options.seed ?? 11);
  const errorRate = options.errorRate ?? 0.2;
  const slowRate = options.slowRate ?? 0.2;
  const slowMs = options.slowMs ?? 250;
  return (): MockAnswer => {
    if (random() < errorRate) return { status: 500, body: 'internal error' };
    const delayMs = random() < slowRate ? Math.round(random() * slowMs) : 0;
    return { status: 200, body: { status: 'SUCCESS' }, delayMs };
  };
}
