import { afterEach, describe, expect, it } from 'vitest';
import type { AdminDeps, AdminOperation } from '../../src/http/admin-deps.js';
import { buildAdminServer } from '../../src/http/index.js';
import { createBridgeMetrics } from '../../src/http/metrics.js';
import { registerRentMetrics } from '../../src/http/metrics-rent.js';
import { buildStatus } from '../../src/http/status-page.js';
import { silentLogger } from '../../src/log.js';

/** Rents on the status page, in /healthz (`rentsAtRisk`) and in /metrics. */

const NOW = Date.parse('2026-12-03T12:00:00Z');
const HOUR = 3_600_000;

function op(id: number, rent: Record<string, unknown> | null): AdminOperation {
  return {
    id,
    phone: `7900000000${id}`,
    service: rent ? 'rent' : 'vk',
    status: 'active',
    kind: rent ? 'rent' : 'activation',
    ...(rent ? { rent } : {}),
  } as AdminOperation;
}

function deps(atRisk: unknown[]): AdminDeps {
  const operations = [
    op(1, { rentedUntilMs: NOW + 5 * HOUR, smsCount: 3, sum: null, atRisk: false, days: 1 }),
    op(2, null),
    op(3, { rentedUntilMs: NOW - HOUR, smsCount: 0, sum: null, atRisk: true, days: 2 }),
  ];
  const none = async () => [];
  return {
    modems: () => [],
    phoneFor: () => null,
    operations: {
      create: async () => operations[0] as AdminOperation,
      end: async () => null,
      list: async () => operations,
    },
    messages: { list: none },
    health: async () => ({
      storeWritable: true,
      modemsOnline: 1,
      outboxOldestPendingAgeMs: null,
      rentsAtRisk: atRisk,
    }),
  };
}

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('rent surfaces', () => {
  it('lists active rents on the status page, at risk first, and warns about them', async () => {
    const status = await buildStatus(deps([{ operationId: 3 }]), {}, undefined, NOW);
    expect(status.rents).toEqual([
      {
        id: 3,
        phone: '79000000003',
        rentedUntil: new Date(NOW - HOUR).toISOString(),
        leftMs: -HOUR,
        smsCount: 0,
        sum: null,
        atRisk: true,
      },
      expect.objectContaining({ id: 1, leftMs: 5 * HOUR, smsCount: 3, atRisk: false }),
    ]);
    expect(status.health.warnings).toEqual(['1 rent at risk: the rented SIM is in no live modem']);
    expect(status.badge.level).toBe('warn');
    expect((await buildStatus(deps([]), {}, undefined, NOW)).health.warnings).toEqual([]);
  });

  it('gives rentsAtRisk in /healthz details with a warning, still 200', async () => {
    const app = buildAdminServer(deps([{ operationId: 3, phone: '79000000003' }, { operationId: 4 }]));
    close = () => app.close();
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      rentsAtRisk: [{ operationId: 3, phone: '79000000003' }, { operationId: 4 }],
      warnings: ['2 rents at risk: the rented SIM is in no live modem'],
    });
  });

  it('exports rents open, earnings by kind and rent SMS delivered; NaN when the store fails', async () => {
    const bridge = createBridgeMetrics(
      {
        modems: () => [],
        outbox: async () => ({ depth: 0, oldestPendingAgeMs: null }),
        operationsOpen: async () => 0,
      },
      { processMetrics: false, log: silentLogger() },
    );
    const { registry } = bridge;
    let fail = false;
    const metrics = registerRentMetrics(bridge, async () => {
      if (fail) throw new Error('store down');
      return { open: 2, earnedByKind: { activation: 40, rent: 870 } };
    });
    const base = {
      pushId: 1,
      operationId: 9,
      attempt: 1,
      httpStatus: 200,
      errorName: null,
      durationMs: 5,
      ageMs: 9,
    };
    metrics.onPushOutcome({ ...base, kind: 'delivered', target: 'rent' });
    metrics.onPushOutcome({ ...base, kind: 'retry', target: 'rent' });
    metrics.onPushOutcome({ ...base, kind: 'delivered', target: 'activation' });
    const text = await registry.metrics();
    expect(text).toContain('simbridge_rents_open 2');
    expect(text).toContain('simbridge_earned_rub{kind="activation"} 40');
    expect(text).toContain('simbridge_earned_rub{kind="rent"} 870');
    expect(text).toContain('simbridge_rent_sms_pushed_total 1');
    expect(text).not.toContain('simbridge_metrics_source_errors_total{source="rents"}');
    fail = true;
    const failed = await registry.metrics();
    expect(failed).toContain('simbridge_rents_open NaN');
    expect(failed).toContain('simbridge_earned_rub{kind="rent"} NaN');
    // Counted like the other store reads, in the same scrape, once for both gauges.
    expect(failed).toContain('simbridge_metrics_source_errors_total{source="rents"} 1');
    expect(await registry.metrics()).toContain('simbridge_metrics_source_errors_total{source="rents"} 2');
  });
});
