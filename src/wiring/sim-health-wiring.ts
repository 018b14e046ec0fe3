/**
 * The SIM side of the bridge once the modems exist: number discovery on each ready modem, the
 * per-SIM health monitor, the live SIMs offered to Onlinesim (this host's, or the farm's) and
 * the farm heartbeat.
 *
 * Split out of main.ts because these parts only make sense together: health verdicts decide
 * which SIMs are live, and the heartbeat publishes the same list to the other hosts.
 */
import type { Config } from '../config/index.js';
import { type BalanceSource, type SimHealthVerdict, simHealthRulesOf } from '../health/sim-health.js';
import { SimHealthMonitor } from '../health/sim-health-monitor.js';
import type { BridgeMetrics } from '../http/metrics.js';
import type { Logger } from '../log.js';
import type { ModemManager } from '../modem/modem-manager.js';
import type { ModemSnapshot } from '../modem/types.js';
import { farmLiveSims, joinLiveSims, type LiveSims, localSimRecords } from '../reseller/index.js';
import { discoveryModemOf, presentSim, readyDiscoveryModems } from '../sims/discovery-modems.js';
import { SimDiscovery } from '../sims/sim-discovery.js';
import { registerSimMetrics } from '../sims/sim-metrics.js';
import type { SimRegistry } from '../sims/sim-registry.js';
import { FarmHeartbeat } from '../store/farm-heartbeat.js';
import type { OpenedStore } from '../store/open-store.js';

export interface SimHealthWiringParts {
  config: Config;
  store: OpenedStore;
  sims: SimRegistry;
  modems: ModemManager;
  metrics: BridgeMetrics;
  /** The latest balance per ICCID; the SIMs' own USSD answers unless a test supplies its own. */
  balances?: BalanceSource;
  clock: () => number;
  log: Logger;
}

export interface SimHealthWiring {
  discovery: SimDiscovery;
  health: SimHealthMonitor;
  heartbeat: FarmHeartbeat | null;
  healthOf: (snapshot: ModemSnapshot) => SimHealthVerdict;
  simList: () => ReturnType<SimRegistry['list']>;
  liveSims: LiveSims;
}

export function wireSimHealth(parts: SimHealthWiringParts): SimHealthWiring {
  const { config, store, sims, modems, clock, log } = parts;
  const simList = () => sims.list(modems.snapshots().map(presentSim));
  registerSimMetrics(parts.metrics.registry, simList);
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
    balances: parts.balances ?? sims,
    snapshots: () => modems.snapshots(),
    intervalMs: config.health.intervalMs,
    log: log.child({ layer: 'health' }),
  });
  modems.on('smsRead', (_port, identity, outcome) => health.recordRead(identity, outcome));
  const healthOf = (snapshot: ModemSnapshot) => health.verdictOf(snapshot);
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
  return { discovery, health, heartbeat, healthOf, simList, liveSims };
}
