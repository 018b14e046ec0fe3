import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import type { AdminDeps } from '../../src/http/admin-deps.js';
import { buildAdminServer } from '../../src/http/index.js';
import { buildStatus } from '../../src/http/status-page.js';
import { describeStoreProblem } from '../../src/store/store-problem.js';

/** `/healthz` and the status page say why the store refuses writes (PostgreSQL unreachable). */

const REASON = 'PostgreSQL unreachable: connect failed: connect ECONNREFUSED 10.0.0.5:5432';

function deps(storeProblem: string | undefined): AdminDeps {
  const unavailable = async () =>
    Promise.reject(new GatewayError('STORE_UNAVAILABLE', 'PostgreSQL unreachable'));
  return {
    modems: () => [],
    phoneFor: () => null,
    operations: { create: unavailable, end: unavailable, list: unavailable },
    messages: { list: unavailable },
    health: async () => ({
      storeWritable: false,
      ...(storeProblem === undefined ? {} : { storeProblem }),
      modemsOnline: 3,
      outboxOldestPendingAgeMs: null,
    }),
  };
}

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('a store that refuses writes, with its reason', () => {
  it('answers /healthz 503 with the reason first among the warnings', async () => {
    const app = buildAdminServer(deps(REASON));
    close = () => app.close();
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', storeWritable: false, warnings: [REASON] });
  });

  it('shows the reason on the status page, and the generic line when none is given', async () => {
    expect((await buildStatus(deps(REASON))).health).toMatchObject({
      status: 'unavailable',
      warnings: [REASON],
    });
    expect((await buildStatus(deps(undefined))).health.warnings).toEqual([
      'the store does not accept writes',
    ]);
  });

  it('words an unreachable server with its cause, and anything else generically', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
    const unreachable = new GatewayError('STORE_UNAVAILABLE', 'PostgreSQL unreachable: connect failed', {
      cause,
    });
    expect(describeStoreProblem(unreachable)).toBe(REASON);
    expect(describeStoreProblem(new GatewayError('STORE_FAILED', 'store commit failed'))).toBe(
      'the store does not accept writes',
    );
  });
});
