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
import type { FastifyInstance } from 'fastify';
import { IngestPipeline } from './bridge/ingest.js';
import { MultipartTimeoutSweeper } from './bridge/multipart-timeout.js';
import { type Config, compileSenderFilter, parseListenAddress, simDirectory } from './config/index.js';
import { buildAdminServer } from './http/index.js';
import { createBridgeMetrics } from './http/metrics.js';
import type { Logger } from './log.js';
import { ModemManager, type ModemManagerOptions } from './modem/modem-manager.js';
import { timingsFromConfig } from './modem/options.js';
import { PushClient } from './push/push-client.js';
import { PushWorker } from './push/push-worker.js';
import { buildResellerServer, earningsReport, joinLiveSims } from './reseller/index.js';
import { openDatabase, runMigrations } from './store/database.js';
import { MIGRATIONS } from './store/migrations/index.js';
import { SqliteResellerStore } from './store/reseller-sqlite-store.js';
import { SqliteRepository } from './store/sqlite-repository.js';

export interface StartBridgeOptions {
  log: Logger;
  /** Epoch ms; tests and the demo may pass their own. */
  clock?: () => number;
  /** Overrides for the modem layer (the demo and tests open emulated ports their own way). */
  modems?: Pick<ModemManagerOptions, 'openChannel' | 'timings' | 'engineTimeouts'>;
  /** Sweep interval for incomplete multipart groups. */
  multipartSweepIntervalMs?: number;
}

export interface RunningBridge {
  /** Where the admin API listens (resolved port when the config said :0). */
  adminUrl: string;
  resellerUrl: string | null;
  modems: ModemManager;
  repository: SqliteRepository;
  /** Graceful stop: no new work, in-flight work finished or persisted. */
  stop(): Promise<void>;
}

async function listen(app: FastifyInstance, listenAddress: string): Promise<string> {
  const { host, port } = parseListenAddress(listenAddress);
  return app.listen({ host: host === '' ? '0.0.0.0' : host, port });
}

/** Starts every part of the bridge; resolves once the HTTP servers listen. */
export async function startBridge(config: Config, options: StartBridgeOptions): Promise<RunningBridge> {
  const log = options.log;
  const clock = options.clock ?? Date.now;
  const db = openDatabase(config.storage.sqlite);
  const applied = runMigrations(db, MIGRATIONS);
  if (applied.length > 0) log.info({ migrations: applied, path: config.storage.sqlite }, 'store migrated');
  const repository = new SqliteRepository(db, { clock });
  const sims = simDirectory(config);

  // Sources are read at scrape time; `modems` is assigned below before anything can scrape.
  let modemSnapshots: () => ReturnType<ModemManager['snapshots']> = () => [];
  const metrics = createBridgeMetrics(
    {
      modems: () => modemSnapshots(),
      outbox: async () => {
        const stats = await repository.stats(clock());
        return { depth: stats.outboxDepth, oldestPendingAgeMs: stats.oldestPendingAgeMs };
      },
      operationsOpen: async () => (await repository.stats(clock())).activeOperations,
    },
    { log },
  );

  const client = new PushClient({
    pushUrl: config.onlinesim.pushUrl,
    apiKey: config.onlinesim.apiKey,
    timeoutMs: config.push.timeoutMs,
    connections: config.push.concurrency,
  });
  // How long a claim (or an ingest, for the push it queues) holds a push for this process.
  const pushLeaseMs = 3 * config.push.timeoutMs;
  const worker = new PushWorker({
    store: repository,
    client,
    apiKey: config.onlinesim.apiKey,
    retryDelayMs: config.push.retryDelayMs,
    maxAgeMs: config.push.maxAgeMs,
    concurrency: config.push.concurrency,
    leaseMs: pushLeaseMs,
    clock,
    log,
    onOutcome: (outcome) => metrics.onPushOutcome(outcome),
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
    onStored: (sms, result) => metrics.onSmsStored(sms.port, result.status),
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
    timings: { ...timingsFromConfig(config.modems), ...options.modems?.timings },
    ...(options.modems?.openChannel ? { openChannel: options.modems.openChannel } : {}),
    ...(options.modems?.engineTimeouts ? { engineTimeouts: options.modems.engineTimeouts } : {}),
  });

  modemSnapshots = () => modems.snapshots();
  const resellerStore = new SqliteResellerStore(db, { maxCancels: config.reseller?.maxCancels ?? 4 });

  const admin = buildAdminServer({
    modems: () => modems.snapshots(),
    phoneFor: (sim) => sims.phoneFor(sim),
    isKnownPhone: (phone) => sims.simByPhone(phone) !== undefined,
    operations: {
      create: (input) =>
        repository.createOperation({
          id: input.operationId,
          phone: input.phone,
          service: input.service,
          source: 'admin',
        }),
      end: (id) => repository.endOperation(id),
      list: (query) => repository.listOperations(query),
    },
    messages: { list: (query) => repository.listMessages(query) },
    health: async () => {
      let storeWritable = true;
      try {
        await repository.checkWritable();
      } catch {
        storeWritable = false;
      }
      const stats = await repository.stats(clock());
      return {
        storeWritable,
        modemsOnline: modems.snapshots().filter((m) => m.state === 'ready').length,
        outboxOldestPendingAgeMs: stats.oldestPendingAgeMs,
        outboxDepth: stats.outboxDepth,
      };
    },
    metrics: metrics.registry,
    earnings: async () => earningsReport(await resellerStore.earnings()),
    log,
  });

  let reseller: FastifyInstance | null = null;
  if (config.reseller) {
    const { services: defaultServices, numberFormat, authErrorStatus } = config.reseller;
    reseller = buildResellerServer({
      apiKey: config.onlinesim.apiKey,
      store: resellerStore,
      sims: { liveSims: () => joinLiveSims(config.sims, modems.snapshots(), defaultServices) },
      log,
      now: clock,
      options: { numberFormat, authErrorStatusCode: authErrorStatus },
    });
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('stopping: no new work; finishing in-flight work');
      await Promise.allSettled([admin.close(), reseller?.close()]);
      // Modems first: a message being read is either committed (then deleted) or left on the SIM.
      await modems.stop();
      await sweeper.stop();
      await worker.stop();
      await client.close();
      db.close();
      log.info('stopped');
    })();
    return stopping;
  };

  worker.start();
  sweeper.start();
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
  log.info({ adminUrl, resellerUrl, ports: config.modems.ports }, 'simbridge running');

  return { adminUrl, resellerUrl, modems, repository, stop };
}
