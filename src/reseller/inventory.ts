import type { AvailabilitySnapshot } from '../store/reseller-store.js';
import { ANY_OPERATOR, isLive } from './eligibility.js';
import type { LiveSim } from './live-sims.js';

/** `operatorMap[operator][service] = count` (onlinesim-reseller.md §3). */
export type OperatorMap = Record<string, Record<string, number>>;

export interface CountryEntry {
  country: string;
  operatorMap: OperatorMap;
}

/**
 * GET_SERVICES counts (onlinesim-reseller.md §3): for each country, operator and service, the SIMs
 * that could take that order right now: online, registered and healthy, not in an active operation, and
 * not sold, refused or retired for the service. The `any` operator holds the sum over operators,
 * as Onlinesim requires. Pure: the caller passes the live view and the store's snapshot.
 *
 * Every (country, operator, service) a live SIM offers is listed, with 0 when none is free, so the
 * peer sees the full vocabulary. Offline SIMs list nothing: they sit outside a live port. A phone
 * listed twice counts once, and a SIM configured with operator `any` counts in the `any` sum
 * only, so no misconfiguration can make the farm over-report.
 */
export function countServices(sims: readonly LiveSim[], availability: AvailabilitySnapshot): CountryEntry[] {
  const countries = new Map<string, OperatorMap>();
  const seen = new Set<string>();
  for (const sim of sims) {
    if (!isLive(sim) || seen.has(sim.phone)) continue;
    seen.add(sim.phone);
    const country = sim.country.toLowerCase();
    const operator = sim.operator.toLowerCase();
    let operatorMap = countries.get(country);
    if (!operatorMap) {
      operatorMap = {};
      countries.set(country, operatorMap);
    }
    const maps =
      operator === ANY_OPERATOR
        ? [entry(operatorMap, ANY_OPERATOR)]
        : [entry(operatorMap, operator), entry(operatorMap, ANY_OPERATOR)];
    const busy = availability.busyPhones.has(sim.phone);
    const spent = availability.spentServices.get(sim.phone);
    for (const service of new Set(sim.services.map((s) => s.toLowerCase()))) {
      const free = !busy && !spent?.has(service) ? 1 : 0;
      for (const map of maps) map[service] = (map[service] ?? 0) + free;
    }
  }
  return [...countries].map(([country, operatorMap]) => ({ country, operatorMap }));
}

function entry(operatorMap: OperatorMap, operator: string): Record<string, number> {
  const existing = operatorMap[operator];
  if (existing) return existing;
  const created: Record<string, number> = {};
  operatorMap[operator] = created;
  return created;
}
