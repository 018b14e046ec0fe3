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
import { type Config, compileSenderFilter, isLoopbackListen, parseListenAddress } from './config/index.js';
import { type BalanceSource, simHealthRulesOf } from './health/sim-health.js';
import { SimHealthMonitor, type SimHealthRow } from './health/sim-health-monitor.js';
import type { HttpApp } from './http/core/http-app.js';
import { buildAdminServer } from './http/index.js';
import { createBridgeMetrics } from './http/metrics.js';
import { registerRentMetrics } from './http/metrics-rent.js';
import { healthFieldsOf } from './http/modem-view.js';
import { StatusHistory } from './http/status-history.js';
import type { Logger } from './log.js';
import { ModemManager, type ModemManagerOptions } from './modem/modem-manager.js';
import { timingsFromConfig } from './modem/options.js';
import type { ModemSnapshot } from './modem/types.js';
import { PushClient } from './push/push-client.js';
import { PushWorker } from './push/push-worker.js';
import {
  earningsReport,
  farmLiveSims,
  joinLiveSims,
  type LiveSims,
  localSimRecords,
  RentExpirySweeper,
  rentsAtRisk,
  withRentDetails,
} from './reseller/index.js';
import { discoveryModemOf, presentSim, readyDiscoveryModems } from './sims/discovery-modems.js';
import { SimDiscovery } from './sims/sim-discovery.js';
import { registerSimMetrics } from './sims/sim-metrics.js';
import { SimRegistry } from './sims/sim-registry.js';
import { FarmHeartbeat } from './store/farm-heartbeat.js';
import { openStore } from './store/open-store.js';
import type { BridgeRepository } from './store/repository.js';
import type { SmsCountReader } from './store/sms-counts.js';
import { describeStoreProblem } from './store/store-problem.js';
import type { ByteChannel } from './transport/byte-channel.js';
import { openSerialChannel } from './transport/serial-channel.js';
import { tracedChannel } from './transport/traced-channel.js';
import { VERSION } from './version.js';

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

  const rentMetrics = registerRentMetrics(metrics.registry, () => store.reseller.rentTotals(), log);
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
  const rent = config.reseller?.rent.enabled ? config.reseller.rent : null;
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
    ...openChannelOption(config, options, log, trace),
    ...(options.modems?.engineTimeouts ? { engineTimeouts: options.modems.engineTimeouts } : {}),
  });

  modemSnapshots = () => modems.snapshots();
  const simList = () => sims.list(modems.snapshots().map(presentSim));
  registerSimMetrics(metrics.registry, simList);
  const discovery = new SimDiscovery({
    registry: sims,
    readyModems: () => readyDiscoveryModems(modems),
    balanceIntervalMs: config.simOptions.balanceIntervalMs,
    ussdTimeoutMs: config.simOptions.ussdTimeoutMs,
    // Another host of the farm may find or confirm a number: read them again with each heartbeat.
    ...(store.farm ? { reloadIntervalMs: config.node.heartbeatIntervalMs } : {}),
    log,
  });
  modems.on('modemReady', (snapshot) => {
    const modem = discoveryModemOf(modems, snapshot.port);
    if (modem) void discovery.modemReady(modem);
  });
  const health = new SimHealthMonitor({
    rules: simHealthRulesOf(config),
    // The balances the SIMs' USSD answers gave (src/sims), unless a test supplies its own.
    balances: options.balances ?? sims,
    snapshots: () => modems.snapshots(),
    intervalMs: config.health.intervalMs,
    log: log.child({ layer: 'health' }),
  });
  modems.on('smsRead', (_port, identity, outcome) => health.recordRead(identity, outcome));
  const healthOf = (snapshot: ModemSnapshot) => health.verdictOf(snapshot);
  simHealthRows = () => health.rows();
  const resellerStore = store.reseller;
  const defaultServices = config.reseller?.services ?? [];
  // With a shared store, every host counts and sells the farm's SIMs, its own and the others'.
  const localSims = () => joinLiveSims(sims.offeredSims(), modems.snapshots(), defaultServices, healthOf);
  const liveSims: LiveSims = store.farm
    ? farmLiveSims(localSims, store.farm, clock)
    : { liveSims: localSims };
  const heartbeat = store.farm
    ? new FarmHeartbeat({
        farm: store.farm,
        sims: () => localSimRecords(sims.offeredSims(), modems.snapshots(), defaultServices, healthOf),
        intervalMs: config.node.heartbeatIntervalMs,
        clock,
        log: log.child({ layer: 'farm' }),
      })
    : null;

  const admin = buildAdminServer({
    modems: () =>
      modems.snapshots().map((snapshot) => ({ ...snapshot, ...healthFieldsOf(healthOf(snapshot)) })),
    phoneFor: (sim) => sims.phoneFor(sim),
    isKnownPhone: (phone) => sims.isKnownPhone(phone),
    operations: {
      create: (input) =>
        repository.createOperation({
          id: input.operationId,
          phone: input.phone,
          service: input.service,
          source: 'admin',
        }),
      end: (id) => repository.endOperation(id),
      activeForPhone: (phone) => repository.activeOperationForPhone(phone),
      list: async (query) =>
        withRentDetails(await repository.listOperations(query), resellerStore, async () =>
          liveSims.liveSims(),
        ),
    },
    messages: { list: (query) => repository.listMessages(query) },
    sims: { list: simList, confirm: (iccid) => sims.confirm(iccid) },
    health: async () => {
      let storeProblem: string | null = null;
      try {
        await repository.checkWritable();
      } catch (err) {
        storeProblem = describeStoreProblem(err);
      }
      const stats = storeProblem === null ? await repository.stats(clock()) : null;
      return {
        storeWritable: storeProblem === null,
        ...(storeProblem === null ? {} : { storeProblem }),
        modemsOnline: modems.snapshots().filter((m) => m.state === 'ready').length,
        outboxOldestPendingAgeMs: stats?.oldestPendingAgeMs ?? null,
        outboxDepth: stats?.outboxDepth ?? null,
        messagesByStatus: stats?.messagesByStatus ?? null,
        // Onlinesim's last answer refused the key (401 / ERROR_WRONG_KEY): nothing is delivered.
        keyRefused: worker.health.keyRefused,
        // Rented SIMs in no live modem: no SMS can reach them (3 rents without SMS: a 24 h ban).
        ...(rent && storeProblem === null
          ? {
              rentsAtRisk: rentsAtRisk(
                await resellerStore.rents({ activeOnly: true, limit: 1000 }),
                await liveSims.liveSims(),
              ),
            }
          : {}),
      };
    },
    metrics: metrics.registry,
    earnings: async () => earningsReport(await resellerStore.earnings()),
    allowedHosts: config.admin.allowedHosts,
    build: { version: VERSION, startedAtMs: clock() },
    history,
    limits: { maxConnections: config.admin.maxConnections },
    auth: { token: config.admin.token, readsNeedToken: !isLoopbackListen(config.admin.listen) },
    log,
  });

  let reseller: HttpApp | null = null;
  if (config.reseller) {
    const { numberFormat, authErrorStatus } = config.reseller;
    // Loaded only for a farm that serves Onlinesim's calls, and TLS only when configured.
    const { buildResellerServer, readTlsFiles } = await import('./reseller/http/index.js');
    const tls = config.reseller.tls ? await readTlsFiles(config.reseller.tls) : undefined;
    reseller = buildResellerServer({
      tls,
      apiKey: config.onlinesim.apiKey,
      store: resellerStore,
      sims: liveSims,
      log,
      now: clock,
      onCall: (call) => metrics.onResellerCall(call),
      ...(rent ? { rent } : {}),
      options: {
        numberFormat,
        authErrorStatusCode: authErrorStatus,
        limits: {
          headersTimeoutMs: config.reseller.headersTimeoutMs,
          requestTimeoutMs: config.reseller.requestTimeoutMs,
          maxConnections: config.reseller.maxConnections,
        },
      },
    });
  }

  const rentExpiry = rent
    ? new RentExpirySweeper({
        store: resellerStore,
        graceMs: rent.expiryGraceMs,
        intervalMs: rent.expirySweepIntervalMs,
        clock,
        log: log.child({ layer: 'reseller' }),
      })
    : null;

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

/** One read of the store (a scan: once, at start); a failure leaves the page's history empty. */
async function seedHistory(history: StatusHistory, counts: SmsCountReader, nowMs: number, log: Logger) {
  const { dayStartMs, hourStartMs } = history.seedRange(nowMs);
  try {
    history.seed(await counts.smsCountsSince(dayStartMs, hourStartMs), nowMs);
  } catch (err) {
    log.warn({ err }, "could not read today's SMS counts; the status page counts from now");
  }
}

/** How ports are opened: the caller's way or the serial one, tapped for the trace when it is on. */
function openChannelOption(
  config: Config,
  options: StartBridgeOptions,
  log: Logger,
  trace: StageTrace,
): Pick<ModemManagerOptions, 'openChannel'> {
  const given = options.modems?.openChannel;
  if (!trace.enabled) return given ? { openChannel: given } : {};
  const open =
    given ?? ((path: string) => openSerialChannel({ path, baudRate: config.modems.baudRate, log }));
  return {
    openChannel: async (path: string): Promise<ByteChannel> => tracedChannel(await open(path), trace),
  };
}
