import { describe, expect, it } from 'vitest';
import type { SimHealthRow } from '../../src/health/sim-health-monitor.js';
import { createBridgeMetrics } from '../../src/http/metrics.js';

const base = {
  modems: () => [],
  outbox: async () => ({ depth: 0, oldestPendingAgeMs: null }),
  operationsOpen: async () => 0,
};

describe('simbridge_sim_healthy', () => {
  it('has one series per SIM: 1 healthy with reason "", 0 unhealthy with its reason; read at each scrape', async () => {
    let rows: SimHealthRow[] = [
      {
        port: '/dev/gsm/a',
        iccid: '8970100000000000001',
        simKey: '8970100000000000001',
        verdict: { health: 'healthy', reason: null },
      },
      {
        port: '/dev/gsm/b',
        iccid: null,
        simKey: 'imsi:250011234567890',
        verdict: { health: 'unhealthy', reason: 'unregistered' },
      },
    ];
    const metrics = createBridgeMetrics({ ...base, simHealth: () => rows }, { processMetrics: false });
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE simbridge_sim_healthy gauge');
    expect(text).toContain(
      'simbridge_sim_healthy{iccid="8970100000000000001",port="/dev/gsm/a",reason=""} 1',
    );
    expect(text).toContain(
      'simbridge_sim_healthy{iccid="imsi:250011234567890",port="/dev/gsm/b",reason="unregistered"} 0',
    );

    rows = [{ ...rows[1]!, verdict: { health: 'healthy', reason: null } }];
    const later = await metrics.registry.metrics();
    expect(later).not.toContain('/dev/gsm/a');
    expect(later).not.toContain('reason="unregistered"');
    expect(later).toContain(
      'simbridge_sim_healthy{iccid="imsi:250011234567890",port="/dev/gsm/b",reason=""} 1',
    );
  });

  it('a failing source counts as a source error, and the scrape still answers', async () => {
    const metrics = createBridgeMetrics(
      {
        ...base,
        simHealth: () => {
          throw new Error('boom');
        },
      },
      { processMetrics: false },
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('simbridge_metrics_source_errors_total{source="sim_health"} 1');
  });

  it('without a health source there is no such series', async () => {
    const text = await createBridgeMetrics(base, { processMetrics: false }).registry.metrics();
    expect(text).not.toContain('simbridge_sim_healthy');
  });
});
