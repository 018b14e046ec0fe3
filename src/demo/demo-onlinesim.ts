import { type MockOnlinesim, type RecordedRequest, startMockOnlinesim } from '../push/mock-onlinesim.js';
import { type Narrator, preview } from './narrator.js';

/**
 * The demo's Onlinesim: the product's mock PUSH_SMS server answering 200, except every
 * `failEvery`-th request, answered 500, so the audience sees a retry `retryDelayMs` later.
 */

export interface DemoOnlinesimCounts {
  received: number;
  failed: number;
}

export interface DemoOnlinesim {
  url: string;
  /** The same server's rent push path (pushSmsRent). */
  rentUrl: string;
  readonly counts: Readonly<DemoOnlinesimCounts>;
  close(): Promise<void>;
}

export async function startDemoOnlinesim(options: {
  narrator: Narrator;
  failEvery: number;
  retryDelayMs: number;
}): Promise<DemoOnlinesim> {
  const { narrator, failEvery, retryDelayMs } = options;
  const counts: DemoOnlinesimCounts = { received: 0, failed: 0 };
  const mock: MockOnlinesim = await startMockOnlinesim({
    script: (request, index) => {
      counts.received += 1;
      const fail = failEvery > 0 && index % failEvery === failEvery - 1;
      const summary = `${request.url.includes('Rent') ? '(rent) ' : ''}${describe(request)}`;
      if (fail) {
        counts.failed += 1;
        narrator.say(
          'onlinesim',
          `PUSH_SMS ${summary} -> answered 500 on purpose; the bridge sends it again in ${retryDelayMs} ms`,
        );
        return { status: 500, body: { status: 'ERROR', error: 'demo: scripted failure' } };
      }
      narrator.say('onlinesim', `PUSH_SMS ${summary} -> 200`);
      return { status: 200, body: { status: 'SUCCESS' } };
    },
  });
  return {
    url: mock.url,
    rentUrl: new URL('/pushSmsRent', mock.url).toString(),
    counts,
    close: () => mock.close(),
  };
}

function describe(request: RecordedRequest): string {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const text = typeof body.text === 'string' ? body.text : null;
  return `smsId=${String(body.smsId)} phone=${String(body.phone)} phoneFrom=${String(body.phoneFrom)} text=${preview(text, 48)}`;
}
