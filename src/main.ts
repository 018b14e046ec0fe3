/**
 * Composition root: builds the running bridge from a validated config.
 *
 *   ModemManager ──ReceivedSms──► IngestPipeline ──commit──► SqliteRepository
 *        ▲  (delete after ack)          │ onPushQueued             │ OutboxStore
 *        │                              ▼                          ▼
 *   serial ports              PushWorker.submit(leased push) ──PUSH_SMS──► Onlinesim
 *
 *   admin server (/healthz, /metrics, /api/*, status page)   reseller server (Onlinesim's calls)
 *
 * Nothing below this file knows the others exist; this is the only place they meet.
 */
import { IngestPipeline } from './bridge/ingest.js';
import { simKeyOf } from './bridge/message-identity.js';
import { MultipartTimeoutSweeper } from './bridge/multipart-timeout.js';
import { NO_TRACE, StageRecorder, type StageTrace } from './bridge/stage-trace.js';
import { type Config, compileSenderFilter, parseListenAddress } from './config/index.js';
import type { BalanceSource } from './health/sim-health.js';
import type { SimHealthRow } from './health/sim-health-monitor.js';
import type { HttpApp } from './http/core/http-app.js';
import { buildAdminServer } from './http/index.js';
import { createBridgeMetrics } from './http/metrics.js';
import { registerRentMetrics } from './http/metrics-rent.js';
import { StatusHistory } from './http/status-history.js';
import type { Logger } from './log.js';
import { ModemManager, type ModemManagerOptions } from './modem/modem-manager.js';
import { timingsFromConfig } from './modem/options.js';
import { PushClient } from './push/push-client.js';
import { PushWorker } from './push/push-worker.js';
import { SimRegistry } from './sims/sim-registry.js';
import { openStore } from './store/open-store.js';
import type { BridgeRepository } from './store/repository.js';
import { adminDepsOf } from './wiring/admin-wiring.js';
import { buildResellerApp, rentExpirySweeperOf } from './wiring/reseller-wiring.js';
import { wireSimHealth } from './wiring/sim-health-wiring.js';
import { openChannelOption, seedHistory } from './wiring/start-helpers.js';

export interface StartBridgeOptions {
  log: Logger;
  /** Epoch ms; tests and the demo may pass their own. */
  clock?: () => number;
  /** Overrides for the modem layer (the demo and tests open emulated ports their own way). */
  modems?: Pick<ModemManagerOptions, 'openChannel' | 'timings' | 'engineTimeouts'>;
  /** Sweep interval for incomplete multipart groups. */
  multipartSweepIntervalMs?: number;
  /**
   * Write the per-SMS stage trace (see stage-trace.ts) to this file on SIGUSR2 and at stop.
   * Default: the `SIMBRIDGE_STAGE_TRACE` environment variable; unset, nothing is traced.
   */
  stageTraceFile?: string;
  /** The latest balance per ICCID, for the `health.minBalance` rule; none known by default. */
  balances?: BalanceSource;
}

export interface RunningBridge {
  /** Where the admin API listens (resolved port when the config said :0). */
  adminUrl: string;
  resellerUrl: string | null;
  modems: ModemManager;
  repository: BridgeRepository;
  /** Graceful stop: no new work, in-flight work finished or persisted. */
  stop(): Promise<void>;
}

async function listen(app: HttpApp, listenAddress: string): Promise<string> {
  const { host, port } = parseListenAddress(listenAddress);
  return app.listen({ host: host === '' ? '0.0.0.0' : host, port });
}

/** Starts every part of the bridge; resolves once the HTTP servers listen. */
export async function startBridge(config: Config, options: StartBridgeOptions): Promise<RunningBridge> {
  const log = options.log;
  const clock = options.clock ?? Date.now;
  const store = await openStore(config, {
    clock,
    log: log.child({ layer: 'store' }),
    onUnreachable: (err, retryMs) =>
      log.warn({ err, retryMs }, 'PostgreSQL unreachable at start; waiting for it (SMS stay on the SIMs)'),
  });
  if (store.migrated.length > 0) {
    log.info({ migrations: store.migrated, store: store.kind, path: store.location }, 'store migrated');
  }
  const repository = store.repository;
  // Every SIM's number: the config's list, else found by the SIM and confirmed (src/sims).
  const sims = new SimRegistry({
    sims: config.sims,
    operators: config.operators,
    autoConfirm: config.simOptions.autoConfirm,
    defaultServices: config.reseller?.services ?? [],
    store: store.sims,
    clock,
  });
  await sims.load();
  const traceFile = options.stageTraceFile ?? process.env.SIMBRIDGE_STAGE_TRACE;
  const recorder = traceFile ? new StageRecorder() : null;
  const trace: StageTrace = recorder ?? NO_TRACE;

  // Sources are read at scrape time; `modems` is assigned below before anything can scrape.
  let modemSnapshots: () => ReturnType<ModemManager['snapshots']> = () => [];
  let simHealthRows: () => readonly SimHealthRow[] = () => [];
  const metrics = createBridgeMetrics(
    {
      modems: () => modemSnapshots(),
      outbox: async () => {
        const stats = await repository.stats(clock());
        return { depth: stats.outboxDepth, oldestPendingAgeMs: stats.oldestPendingAgeMs };
      },
      operationsOpen: async () => (await repository.stats(clock())).activeOperations,
      simHealth: () => simHealthRows(),
    },
    { log },
  );

  // The status page's last hour and today's counts, started from the store so a restart keeps them.
  const history = new StatusHistory();
  await seedHistory(history, store.smsCounts, clock(), log);

  const rentMetrics = registerRentMetrics(metrics, () => store.reseller.rentTotals());
  const pushClient = (pushUrl: string): PushClient =>
    new PushClient({
      pushUrl,
      apiKey: config.onlinesim.apiKey,
      timeoutMs: config.push.timeoutMs,
      connections: config.push.concurrency,
    });
  const client = pushClient(config.onlinesim.pushUrl);
  // Also without rent enabled: pushes of rents still open when it was switched off keep their URL.
  const rentClient = config.onlinesim.pushRentUrl ? pushClient(config.onlinesim.pushRentUrl) : null;
  // How long a claim (or an ingest, for the push it queues) holds a push for this process.
  const pushLeaseMs = 3 * config.push.timeoutMs;
  const worker = new PushWorker({
    store: repository,
    client,
    ...(rentClient ? { rentClient } : {}),
    apiKey: config.onlinesim.apiKey,
    retryDelayMs: config.push.retryDelayMs,
    maxAgeMs: config.push.maxAgeMs,
    concurrency: config.push.concurrency,
    leaseMs: pushLeaseMs,
    clock,
    log,
    onOutcome: (outcome) => {
      metrics.onPushOutcome(outcome);
      if (outcome.kind === 'delivered') history.recordDelivery(outcome.ageMs, clock());
      rentMetrics.onPushOutcome(outcome);
    },
    ...(trace.enabled ? { onStep: (pushId: number, step) => trace.markPush(pushId, step) } : {}),
    onDuplicateWindow: (count) => {
      metrics.onDuplicateWindow(count);
      // The store already added `count` to the duplicate_window counter, in the same
      // transaction that released the leases.
      if (count > 0) log.warn({ count }, 'pushes were in flight when the last run died; they are sent again');
    },
  });

  const ingest = new IngestPipeline({
    repo: repository,
    simDirectory: sims,
    denySenders: compileSenderFilter(config.filter.denySenders),
    multipartTimeoutMs: config.multipart.timeoutMs,
    multipartScTimeToleranceMs: config.multipart.scTimeToleranceMs,
    log,
    clock,
    // Pushes come leased from the ingest transaction: sent at once, no claim commit first.
    pushLeaseMs,
    onPushQueued: (push) => (push === null ? worker.kick() : worker.submit(push)),
    onStored: (sms, result) => {
      metrics.onSmsStored(sms.port, result.status);
      history.recordSms(simKeyOf(sms), clock());
    },
    trace,
  });
  const sweeper = new MultipartTimeoutSweeper({
    target: ingest,
    intervalMs: options.multipartSweepIntervalMs ?? Math.min(5_000, config.multipart.timeoutMs),
    log: log.child({ layer: 'multipart' }),
  });

  const modems = new ModemManager({
    ports: config.modems.ports,
    baudRate: config.modems.baudRate,
    sink: ingest,
    log,
    ...(config.modems.rescanIntervalMs === undefined
      ? {}
      : { rescanIntervalMs: config.modems.rescanIntervalMs }),
    ...(config.modems.probeTimeoutMs === undefined
      ? {}
      : { probeTimings: { answerTimeoutMs: config.modems.probeTimeoutMs } }),
    // The radio poll is the health check's slow path (+CREG URCs are the fast one).
    timings: {
      ...timingsFromConfig(config.modems),
      radioIntervalMs: config.health.intervalMs,
      ...options.modems?.timings,
    },
    ...openChannelOption(config, options.modems?.openChannel, log, trace),
    ...(options.modems?.engineTimeouts ? { engineTimeouts: options.modems.engineTimeouts } : {}),
  });

  modemSnapshots = () => modems.snapshots();
  const simHealth = wireSimHealth({
    config,
    store,
    sims,
    modems,
    metrics,
    ...(options.balances ? { balances: options.balances } : {}),
    clock,
    log,
  });
  const { discovery, health, heartbeat } = simHealth;
  simHealthRows = () => health.rows();

  const admin = buildAdminServer(
    adminDepsOf({
      config,
      store,
      sims,
      modems,
      simHealth,
      metrics,
      history,
      keyRefused: () => worker.health.keyRefused,
      clock,
      log,
    }),
  );
  const resellerParts = { config, store: store.reseller, liveSims: simHealth.liveSims, metrics, clock, log };
  const reseller = await buildResellerApp(resellerParts);
  const rentExpiry = rentExpirySweeperOf(resellerParts);

  const dumpTrace = (): void => {
    if (!recorder || !traceFile) return;
    try {
      recorder.dump(traceFile);
    } catch (err) {
      log.warn({ err, traceFile }, 'could not write the stage trace');
    }
  };
  if (recorder) process.on('SIGUSR2', dumpTrace);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('stopping: no new work; finishing in-flight work');
      process.off('SIGUSR2', dumpTrace);
      await Promise.allSettled([admin.close(), reseller?.close()]);
      // Modems first: a message being read is either committed (then deleted) or left on the SIM.
      discovery.stop();
      await modems.stop();
      await sweeper.stop();
      await rentExpiry?.stop();
      await worker.stop();
      await heartbeat?.stop();
      health.stop();
      await client.close();
      await rentClient?.close();
      await store.close();
      dumpTrace();
      log.info('stopped');
    })();
    return stopping;
  };

  // The first beat before the first claim: other hosts must see this one alive.
  await heartbeat?.start();
  worker.start();
  sweeper.start();
  discovery.start();
  health.start();
  rentExpiry?.start();
  let adminUrl: string;
  let resellerUrl: string | null;
  try {
    adminUrl = await listen(admin, config.admin.listen);
    resellerUrl = reseller && config.reseller ? await listen(reseller, config.reseller.listen) : null;
    await modems.start();
  } catch (err) {
    // A port in use or an unusable address: stop what already runs (outbox loop, sweeper, store),
    // or an in-process caller (the demo, tests) is left with a live worker and an open database.
    await stop().catch(() => undefined);
    throw err;
  }
  log.info(
    { adminUrl, resellerUrl, ports: config.modems.ports, store: store.kind, node: config.node.name },
    'simbridge running',
  );

  return { adminUrl, resellerUrl, modems, repository, stop };
}
