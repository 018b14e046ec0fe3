/**
 * What the admin server reads, assembled from the running parts.
 *
 * Split out of main.ts so the composition root only says which parts exist: how each admin
 * endpoint's data is fetched (operations with rent details, /healthz facts) lives here.
 */
import { type Config, isLoopbackListen } from '../config/index.js';
import { healthFieldsOf } from '../health/sim-health.js';
import type { AdminDeps } from '../http/index.js';
import type { BridgeMetrics } from '../http/metrics.js';
import type { StatusHistory } from '../http/status-history.js';
import type { Logger } from '../log.js';
import type { ModemManager } from '../modem/modem-manager.js';
import { earningsReport, rentsAtRisk, withRentDetails } from '../reseller/index.js';
import type { SimRegistry } from '../sims/sim-registry.js';
import type { OpenedStore } from '../store/open-store.js';
import { describeStoreProblem } from '../store/store-problem.js';
import { VERSION } from '../version.js';
import type { SimHealthWiring } from './sim-health-wiring.js';

export interface AdminWiringParts {
  config: Config;
  store: OpenedStore;
  sims: SimRegistry;
  modems: ModemManager;
  simHealth: Pick<SimHealthWiring, 'healthOf' | 'simList' | 'liveSims'>;
  metrics: BridgeMetrics;
  history: StatusHistory;
  /** Whether Onlinesim's last answer refused the key. */
  keyRefused: () => boolean;
  clock: () => number;
  log: Logger;
}

export function adminDepsOf(parts: AdminWiringParts): AdminDeps {
  const { config, store, sims, modems, clock } = parts;
  const { healthOf, simList, liveSims } = parts.simHealth;
  const repository = store.repository;
  const resellerStore = store.reseller;
  const rent = config.reseller?.rent.enabled ? config.reseller.rent : null;
  return {
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
        keyRefused: parts.keyRefused(),
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
    metrics: parts.metrics.registry,
    earnings: async () => earningsReport(await resellerStore.earnings()),
    allowedHosts: config.admin.allowedHosts,
    build: { version: VERSION, startedAtMs: clock() },
    history: parts.history,
    limits: { maxConnections: config.admin.maxConnections },
    auth: { token: config.admin.token, readsNeedToken: !isLoopbackListen(config.admin.listen) },
    log: parts.log,
  };
}
