/** The partner endpoint Onlinesim calls (GET_SERVICES, GET_NUMBER, FINISH_ACTIVATION). */
export { type EarningsReport, type EarningsTotals, earningsReport } from './earnings-report.js';
// The HTTP server itself is loaded only when `reseller` is configured (`./http/index.js`).
export type { ResellerCall, ResellerServerDeps, ResellerServerOptions } from './http/server.js';
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
export { RentExpirySweeper } from './rent-expiry.js';
export { type RentAtRisk, type RentDetails, rentsAtRisk, withRentDetails } from './rent-view.js';
