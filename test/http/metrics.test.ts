import { describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import { type BridgeMetricsSources, createBridgeMetrics } from '../../src/http/metrics.js';
import type { ModemSnapshot } from '../../src/modem/types.js';
import type { PushOutcome } from '../../src/push/push-worker.js';
import { fakeAdminDeps } from '../browser/fake-admin-deps.js';

const READY: ModemSnapshot = {
  port: '/dev/gsm/usb-1.2',
  state: 'ready',
  identity: null,
  operator: 'MTS',
  signal: 17,
  registered: true,
  lastSmsAt: null,
  storageUsed: 3,
  storageTotal: 20,
  resets: 0,
  reconnects: 0,
};

function outcome(overrides: Partial<PushOutcome>): PushOutcome {
  return {
    kind: 'delivered',
    pushId: 1,
    operationId: 355,
    attempt: 1,
    httpStatus: 200,
    errorName: null,
    durationMs: 40,
    ageMs: 1500,
    ...overrides,
  };
}

function sources(overrides: Partial<BridgeMetricsSources> = {}): BridgeMetricsSources {
  return {
    modems: () => [
      READY,
      {
        ...READY,
        port: '/dev/gsm/usb-1.3',
        state: 'recovering',
        signal: null,
        registered: false,
        storageUsed: null,
        storageTotal: null,
      },
    ],
    outbox: async () => ({ depth: 4, oldestPendingAgeMs: 12_500 }),
    operationsOpen: async () => 2,
    ...overrides,
  };
}

/** The value of one sample line, `name{labels} value`; labels in declaration order. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createBridgeMetrics', () => {
  it('reports build info, the last SMS per modem and overall, and reseller calls by action and status', async () => {
    const modems: ModemSnapshot[] = [
      { ...READY, lastSmsAt: '2026-11-24T12:00:00.000Z' },
      { ...READY, port: '/dev/gsm/usb-1.3', lastSmsAt: '2026-11-24T12:00:30.500Z' },
      { ...READY, port: '/dev/gsm/usb-1.4', lastSmsAt: null },
    ];
    const metrics = createBridgeMetrics(sources({ modems: () => modems }), {
      processMetrics: false,
      build: { version: '1.2.3' },
    });
    metrics.onResellerCall({ action: 'GET_NUMBER', status: 200 });
    metrics.onResellerCall({ action: 'GET_NUMBER', status: 200 });
    metrics.onResellerCall({ action: 'NONE', status: 404 });
    const text = await metrics.registry.metrics();
    expect(sample(text, `simbridge_build_info{version="1.2.3",node="${process.version}"}`)).toBe(1);
    const at = Date.parse('2026-11-24T12:00:00.000Z') / 1000;
    expect(sample(text, 'simbridge_modem_last_sms_timestamp_seconds{port="/dev/gsm/usb-1.2"}')).toBe(at);
    expect(
      sample(text, 'simbridge_modem_last_sms_timestamp_seconds{port="/dev/gsm/usb-1.4"}'),
    ).toBeUndefined();
    expect(sample(text, 'simbridge_last_sms_timestamp_seconds')).toBe(at + 30.5);
    expect(sample(text, 'simbridge_reseller_requests_total{action="GET_NUMBER",status="200"}')).toBe(2);
    expect(sample(text, 'simbridge_reseller_requests_total{action="NONE",status="404"}')).toBe(1);
  });

  it('keeps the last SMS time of a modem that went away', async () => {
    let modems: ModemSnapshot[] = [{ ...READY, lastSmsAt: '2026-11-24T12:00:00.000Z' }];
    const metrics = createBridgeMetrics(sources({ modems: () => modems }), { processMetrics: false });
    await metrics.registry.metrics();
    modems = [];
    const text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_last_sms_timestamp_seconds')).toBe(
      Date.parse('2026-11-24T12:00:00.000Z') / 1000,
    );
  });

  it('reports per-modem state, signal, registration and storage read at scrape', async () => {
    let modems: ModemSnapshot[] = [READY];
    const metrics = createBridgeMetrics(sources({ modems: () => modems }), { processMetrics: false });
    let text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_modem_state{port="/dev/gsm/usb-1.2",state="ready"}')).toBe(1);
    expect(sample(text, 'simbridge_modem_state{port="/dev/gsm/usb-1.2",state="recovering"}')).toBe(0);
    expect(sample(text, 'simbridge_modem_signal_rssi{port="/dev/gsm/usb-1.2"}')).toBe(17);
    expect(sample(text, 'simbridge_modem_registered{port="/dev/gsm/usb-1.2"}')).toBe(1);
    expect(sample(text, 'simbridge_modem_storage_used{port="/dev/gsm/usb-1.2"}')).toBe(3);
    expect(sample(text, 'simbridge_modem_storage_capacity{port="/dev/gsm/usb-1.2"}')).toBe(20);
    // `_total` is for counters: the capacity gauge does not use it.
    expect(text).not.toMatch(/^# TYPE \S+_total gauge$/m);

    modems = [{ ...READY, state: 'recovering', signal: null, registered: false }];
    text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_modem_state{port="/dev/gsm/usb-1.2",state="ready"}')).toBe(0);
    expect(sample(text, 'simbridge_modem_state{port="/dev/gsm/usb-1.2",state="recovering"}')).toBe(1);
    expect(sample(text, 'simbridge_modem_signal_rssi{port="/dev/gsm/usb-1.2"}')).toBeUndefined();
    expect(sample(text, 'simbridge_modem_registered{port="/dev/gsm/usb-1.2"}')).toBe(0);

    modems = [];
    text = await metrics.registry.metrics();
    expect(text).not.toContain('usb-1.2');
  });

  it('reports outbox depth, oldest pending age and open operations from the sources', async () => {
    let oldest: number | null = 12_500;
    const metrics = createBridgeMetrics(
      sources({ outbox: async () => ({ depth: 4, oldestPendingAgeMs: oldest }) }),
      { processMetrics: false },
    );
    let text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_outbox_depth')).toBe(4);
    expect(sample(text, 'simbridge_outbox_oldest_pending_age_seconds')).toBe(12.5);
    expect(sample(text, 'simbridge_operations_open')).toBe(2);
    oldest = null;
    text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_outbox_oldest_pending_age_seconds')).toBe(0);
  });

  it('counts pushes by outcome and status, and times delivery and attempts', async () => {
    const metrics = createBridgeMetrics(sources(), { processMetrics: false });
    metrics.onPushOutcome(outcome({ kind: 'retry', httpStatus: 503, durationMs: 200, ageMs: 300 }));
    metrics.onPushOutcome(
      outcome({
        kind: 'retry',
        httpStatus: null,
        errorName: 'ConnectTimeoutError',
        durationMs: 10_000,
        ageMs: 10_600,
      }),
    );
    metrics.onPushOutcome(outcome({ kind: 'delivered', httpStatus: 200, durationMs: 40, ageMs: 20_700 }));
    metrics.onPushOutcome(
      outcome({ kind: 'expired', httpStatus: null, durationMs: null, ageMs: 86_400_001 }),
    );
    const text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_pushes_total{outcome="retry",http_status="503"}')).toBe(1);
    expect(sample(text, 'simbridge_pushes_total{outcome="retry",http_status="none"}')).toBe(1);
    expect(sample(text, 'simbridge_pushes_total{outcome="delivered",http_status="200"}')).toBe(1);
    expect(sample(text, 'simbridge_pushes_total{outcome="expired",http_status="none"}')).toBe(1);
    // Delivery latency: only the delivered step, 20.7 s from receipt.
    expect(sample(text, 'simbridge_push_delivery_latency_seconds_count')).toBe(1);
    expect(sample(text, 'simbridge_push_delivery_latency_seconds_sum')).toBeCloseTo(20.7);
    expect(sample(text, 'simbridge_push_delivery_latency_seconds_bucket{le="10"}')).toBe(0);
    expect(sample(text, 'simbridge_push_delivery_latency_seconds_bucket{le="30"}')).toBe(1);
    // Attempt durations: every step that made a request.
    expect(sample(text, 'simbridge_push_attempt_duration_seconds_count{outcome="retry"}')).toBe(2);
    expect(sample(text, 'simbridge_push_attempt_duration_seconds_sum{outcome="retry"}')).toBeCloseTo(10.2);
    expect(sample(text, 'simbridge_push_attempt_duration_seconds_count{outcome="delivered"}')).toBe(1);
    expect(text).not.toContain('simbridge_push_attempt_duration_seconds_count{outcome="expired"}');
  });

  it('counts stored SMS by port and status, resets, reconnects and the duplicate window', async () => {
    const metrics = createBridgeMetrics(sources(), { processMetrics: false });
    metrics.onSmsStored('/dev/gsm/a', 'pending');
    metrics.onSmsStored('/dev/gsm/a', 'pending');
    metrics.onSmsStored('/dev/gsm/a', 'no_operation');
    metrics.onModemReset('/dev/gsm/a');
    metrics.onModemReconnect('/dev/gsm/a');
    metrics.onModemReconnect('/dev/gsm/a');
    metrics.onDuplicateWindow(0);
    metrics.onDuplicateWindow(3);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_sms_received_total{port="/dev/gsm/a",status="pending"}')).toBe(2);
    expect(sample(text, 'simbridge_sms_received_total{port="/dev/gsm/a",status="no_operation"}')).toBe(1);
    expect(sample(text, 'simbridge_modem_resets_total{port="/dev/gsm/a"}')).toBe(1);
    expect(sample(text, 'simbridge_modem_reconnects_total{port="/dev/gsm/a"}')).toBe(2);
    expect(sample(text, 'simbridge_push_duplicate_window_total')).toBe(3);
  });

  it('keeps bridges apart: each has its own registry', async () => {
    const a = createBridgeMetrics(sources());
    const b = createBridgeMetrics(sources());
    a.onModemReset('/dev/gsm/x');
    expect(sample(await a.registry.metrics(), 'simbridge_modem_resets_total{port="/dev/gsm/x"}')).toBe(1);
    expect(await b.registry.metrics()).not.toContain('simbridge_modem_resets_total{port="/dev/gsm/x"}');
    expect(await b.registry.metrics()).toContain('simbridge_process_resident_memory_bytes');
  });

  it('still answers a scrape when a source fails, and counts the failure', async () => {
    const metrics = createBridgeMetrics(
      sources({
        outbox: async () => {
          throw new Error('SQLITE_BUSY');
        },
        modems: () => {
          throw new Error('manager stopped');
        },
      }),
      { processMetrics: false },
    );
    const text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_outbox_depth')).toBeNaN();
    expect(sample(text, 'simbridge_outbox_oldest_pending_age_seconds')).toBeNaN();
    expect(sample(text, 'simbridge_operations_open')).toBe(2);
    expect(sample(text, 'simbridge_metrics_source_errors_total{source="outbox"}')).toBe(1);
    expect(sample(text, 'simbridge_metrics_source_errors_total{source="modems"}')).toBe(1);
  });

  it('reads the outbox once per scrape for both of its gauges', async () => {
    let reads = 0;
    const metrics = createBridgeMetrics(
      sources({
        outbox: async () => {
          reads += 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
          return { depth: reads, oldestPendingAgeMs: 1000 * reads };
        },
      }),
      { processMetrics: false },
    );
    const text = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(sample(text, 'simbridge_outbox_depth')).toBe(1);
    expect(sample(text, 'simbridge_outbox_oldest_pending_age_seconds')).toBe(1);
  });

  it('never exposes an API key: no label or value can carry one', async () => {
    const metrics = createBridgeMetrics(sources(), { processMetrics: false });
    metrics.onPushOutcome(outcome({}));
    const text = await metrics.registry.metrics();
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    expect([...labelNames].sort()).toEqual([
      'http_status',
      'le',
      'node',
      'outcome',
      'port',
      'state',
      'version',
    ]);
  });

  it('is served by the admin API at /metrics as it is', async () => {
    const metrics = createBridgeMetrics(sources(), { processMetrics: false });
    metrics.onSmsStored('/dev/gsm/a', 'pending');
    const app = buildAdminServer({ ...fakeAdminDeps(), metrics: metrics.registry });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(sample(res.body, 'simbridge_outbox_depth')).toBe(4);
      expect(sample(res.body, 'simbridge_sms_received_total{port="/dev/gsm/a",status="pending"}')).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('counts resets and reconnects from the snapshots, and never twice when events are wired too', async () => {
    let modems: ModemSnapshot[] = [{ ...READY, port: '/dev/gsm/b', resets: 2, reconnects: 1 }];
    const metrics = createBridgeMetrics(sources({ modems: () => modems }), { processMetrics: false });
    let text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_modem_resets_total{port="/dev/gsm/b"}')).toBe(2);
    expect(sample(text, 'simbridge_modem_reconnects_total{port="/dev/gsm/b"}')).toBe(1);
    // The same third reset seen as an event and then in the snapshot counts once.
    metrics.onModemReset('/dev/gsm/b');
    metrics.onModemReset('/dev/gsm/b');
    metrics.onModemReset('/dev/gsm/b');
    modems = [{ ...READY, port: '/dev/gsm/b', resets: 3, reconnects: 1 }];
    text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_modem_resets_total{port="/dev/gsm/b"}')).toBe(3);
    // A new driver counting from 0 again: the counter keeps the old count and adds the new.
    modems = [{ ...READY, port: '/dev/gsm/b', resets: 0, reconnects: 0 }];
    text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_modem_resets_total{port="/dev/gsm/b"}')).toBe(3);
    modems = [{ ...READY, port: '/dev/gsm/b', resets: 1, reconnects: 0 }];
    text = await metrics.registry.metrics();
    expect(sample(text, 'simbridge_modem_resets_total{port="/dev/gsm/b"}')).toBe(4);
  });
});
