/** The partner endpoint Onlinesim calls (GET_SERVICES, GET_NUMBER, FINISH_ACTIVATION). */
export { type EarningsReport, type EarningsTotals, earningsReport } from './earnings-report.js';
export {
  buildResellerServer,
  DEFAULT_RESELLER_SERVER_OPTIONS,
  type ResellerServerDeps,
  type ResellerServerOptions,
} from './http/server.js';
export {
  joinLiveSims,
  type LiveSim,
  type LiveSims,
  type SimConfigEntry,
} from './live-sims.js';
