import type { SimHealthRow } from '../health/sim-health-monitor.js';
import { type Logger, silentLogger } from '../log.js';
import type { ModemSnapshot } from '../modem/types.js';
import type { PushOutcome } from '../push/push-worker.js';
import { VERSION } from '../version.js';
import { registerModemMetrics } from './metrics-modems.js';
import { registerSimHealthMetrics } from './metrics-sim-health.js';
import { Counter, Gauge, Histogram, Registry, registerProcessMetrics } from './prometheus/index.js';

/**
 * Prometheus metrics of one bridge (`GET /metrics`). Each bridge gets its own `Registry` (no
 * process-wide one): tests, the demo and a restart inside one process build several.
 *
 * Two kinds of series:
 * - event counters and histograms, fed by the composition root through the `on*` methods;
 * - gauges read on scrape (`collect()`): modem state, signal, registration and storage from
 *   `sources.modems()`, outbox depth and age, open operations. Reading on scrape keeps them
 *   exact without timers and lets a modem that disappeared disappear from the output too.
 *
 * No label carries a secret, a phone number or a message body: ports, states, outcomes and
 * HTTP statuses only, so cardinality stays bounded by the number of modems.
 */

/** Where the scrape-time gauges read from. */
export interface BridgeMetricsSources {
  modems: () => readonly ModemSnapshot[];
  outbox: () => Promise<{ depth: number; oldestPendingAgeMs: number | null }>;
  operationsOpen: () => Promise<number>;
  /** Each local SIM's health (SimHealthMonitor.rows), for `simbridge_sim_healthy`. */
  simHealth?: () => readonly SimHealthRow[];
}

export interface BridgeMetricsOptions {
  /** Node process metrics (CPU, RSS, event loop lag, GC) as `simbridge_process_*`, `simbridge_nodejs_*`. Default true. */
  processMetrics?: boolean;
  /** Buckets of the end-to-end delivery latency, seconds. */
  deliveryLatencyBuckets?: readonly number[];
  /** Buckets of one PUSH_SMS request, seconds. */
  attemptDurationBuckets?: readonly number[];
  /** Logs a failing source at scrape (the scrape still answers). */
  log?: Logger;
  /** The version `simbridge_build_info` shows. Default: package.json's. */
  build?: { version: string };
}

/** SMS to Onlinesim is seconds when healthy; the 10 s retry rhythm and long outages above. */
export const DEFAULT_DELIVERY_LATENCY_BUCKETS: readonly number[] = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
];
export const DEFAULT_ATTEMPT_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export interface BridgeMetrics {
  /** Serve with `registry.metrics()` and `registry.contentType` (fits `AdminDeps.metrics`). */
  readonly registry: Registry;
  /** Each step of a push: outcome and HTTP status; latency when delivered; request duration. */
  onPushOutcome(outcome: PushOutcome): void;
  /** A message committed to the store, with the status it was stored with. */
  onSmsStored(port: string, status: string): void;
  /**
   * A modem was reset (reinit, vendor reset). Optional to wire: the snapshots' `resets` count
   * feeds the same counter at scrape, and the two never add up twice.
   */
  onModemReset(port: string): void;
  /** A modem's port was reopened (unplug/replug, port failure). Same rule as `onModemReset`. */
  onModemReconnect(port: string): void;
  /** Pushes a dead process left in flight, reported once at start (possible duplicates). */
  onDuplicateWindow(count: number): void;
  /** One answered call of the partner endpoint; `action` is from a bounded set. */
  onResellerCall(call: { action: string; status: number }): void;
  /**
   * A source read by series registered outside this module (rents) failed during a scrape:
   * counted in `simbridge_metrics_source_errors_total{source}` and logged, as the built-in ones.
   */
  sourceFailed(source: string, err: unknown): void;
}

/** Builds the metrics of one bridge over `sources`, in a fresh registry. */
export function createBridgeMetrics(
  sources: BridgeMetricsSources,
  options: BridgeMetricsOptions = {},
): BridgeMetrics {
  const registry = new Registry();
  const registers = [registry];
  const log = (options.log ?? silentLogger()).child({ layer: 'metrics' });
  const sourceFailed = (source: string, err: unknown): void => {
    sourceErrors.inc({ source });
    log.warn({ err, source }, 'metrics source failed');
  };
  /** A failed source shows as NaN, not as a reassuring 0 ("outbox empty"). */
  const reading = new Set<Promise<void>>();
  const guarded = (source: string, gauges: Gauge[], read: () => Promise<void>): Promise<void> => {
    const done = read()
      .catch((err: unknown) => {
        for (const gauge of gauges) gauge.set(Number.NaN);
        sourceFailed(source, err);
      })
      .finally(() => reading.delete(done));
    reading.add(done);
    return done;
  };

  const modemMetrics = registerModemMetrics(registers, sources.modems, (err) => sourceFailed('modems', err));
  const { simHealth } = sources;
  if (simHealth) registerSimHealthMetrics(registers, simHealth, (err) => sourceFailed('sim_health', err));

  // Both outbox gauges collect concurrently within one scrape: one read of the source serves both.
  const readOutbox = sharedWhileRunning(() =>
    guarded('outbox', [outboxDepth, outboxOldest], async () => {
      const outbox = await sources.outbox();
      outboxDepth.set(outbox.depth);
      outboxOldest.set((outbox.oldestPendingAgeMs ?? 0) / 1000);
    }),
  );
  const outboxDepth = new Gauge({
    name: 'simbridge_outbox_depth',
    help: 'Pushes waiting to be delivered to Onlinesim (state pending).',
    registers,
    collect: readOutbox,
  });
  const outboxOldest = new Gauge({
    name: 'simbridge_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending push; 0 when the outbox is empty.',
    registers,
    collect: readOutbox,
  });
  const operationsOpen: Gauge = new Gauge({
    name: 'simbridge_operations_open',
    help: 'Operations currently active (a SIM waiting for an SMS for a service).',
    registers,
    collect: () =>
      guarded('operations', [operationsOpen], async () => {
        operationsOpen.set(await sources.operationsOpen());
      }),
  });

  const smsReceived = new Counter({
    name: 'simbridge_sms_received_total',
    help: 'Messages read from a modem and committed to the store, by the status they were stored with.',
    labelNames: ['port', 'status'],
    registers,
  });
  const pushes = new Counter({
    name: 'simbridge_pushes_total',
    help: 'PUSH_SMS steps by outcome (delivered, rejected, retry, expired, stopped) and HTTP status ("none" without an answer).',
    labelNames: ['outcome', 'http_status'],
    registers,
  });
  const deliveryLatency = new Histogram({
    name: 'simbridge_push_delivery_latency_seconds',
    help: 'From the message being queued at receipt to Onlinesim accepting it.',
    buckets: [...(options.deliveryLatencyBuckets ?? DEFAULT_DELIVERY_LATENCY_BUCKETS)],
    registers,
  });
  const attemptDuration = new Histogram({
    name: 'simbridge_push_attempt_duration_seconds',
    help: 'Duration of one PUSH_SMS request, by outcome.',
    labelNames: ['outcome'],
    buckets: [...(options.attemptDurationBuckets ?? DEFAULT_ATTEMPT_DURATION_BUCKETS)],
    registers,
  });
  const duplicateWindow = new Counter({
    name: 'simbridge_push_duplicate_window_total',
    help: 'Pushes a previous process left in flight at its death: each may have reached Onlinesim twice.',
    registers,
  });

  const resellerRequests = new Counter({
    name: 'simbridge_reseller_requests_total',
    help: 'Calls of the partner endpoint by action (GET_SERVICES, GET_NUMBER, FINISH_ACTIVATION, RENT, UNKNOWN, NONE) and HTTP status.',
    labelNames: ['action', 'status'],
    registers,
  });
  new Gauge({
    name: 'simbridge_build_info',
    help: 'The running version of simbridge and Node.js, as labels; always 1.',
    labelNames: ['version', 'node'],
    registers,
  }).set({ version: options.build?.version ?? VERSION, node: process.version }, 1);

  // Registered last so that a failure during a scrape is counted in that same scrape.
  const sourceErrors = new Counter({
    name: 'simbridge_metrics_source_errors_total',
    help: 'Scrapes where a metrics source failed (its gauges read NaN in that scrape).',
    labelNames: ['source'],
    registers,
    // Waits for the scrape's source reads so that their failures count in this same scrape.
    collect: async () => {
      await Promise.all([...reading]);
    },
  });

  if (options.processMetrics ?? true) registerProcessMetrics(registry, 'simbridge_');

  return {
    registry,
    onPushOutcome(outcome) {
      pushes.inc({ outcome: outcome.kind, http_status: outcome.httpStatus ?? 'none' });
      if (outcome.durationMs !== null) {
        attemptDuration.observe({ outcome: outcome.kind }, outcome.durationMs / 1000);
      }
      if (outcome.kind === 'delivered') deliveryLatency.observe(outcome.ageMs / 1000);
    },
    onSmsStored(port, status) {
      smsReceived.inc({ port, status });
    },
    onModemReset: (port) => modemMetrics.resets.countEvent(port),
    onModemReconnect: (port) => modemMetrics.reconnects.countEvent(port),
    onDuplicateWindow(count) {
      if (count > 0) duplicateWindow.inc(count);
    },
    onResellerCall({ action, status }) {
      resellerRequests.inc({ action, status });
    },
    sourceFailed,
  };
}

/** Calls `run` once for all callers that arrive while it is running (gauges of one scrape). */
export function sharedWhileRunning(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
}
