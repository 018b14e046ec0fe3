/** The partner endpoint Onlinesim calls (GET_SERVICES, GET_NUMBER, FINISH_ACTIVATION). */
export { type EarningsReport, type EarningsTotals, earningsReport } from './earnings-report.js';
export {
  buildResellerServer,
  DEFAULT_RESELLER_SERVER_OPTIONS,
  type ResellerServerDeps,
  type ResellerServerOptions,
} from './http/server.js';
export {
  type FarmRegistry,
  farmLiveSims,
  joinLiveSims,
  type LiveSim,
  type LiveSimRecord,
  type LiveSims,
  localSimRecords,
  type SimConfigEntry,
} from './live-sims.js';
