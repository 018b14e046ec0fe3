import type { LiveSim } from './live-sims.js';

/**
 * Normalises `exceptionPhoneSet` entries: Onlinesim sends integers, SMSHUB strings
 * (onlinesim-reseller.md §4). Entries with no digits exclude nothing and are dropped.
 */
export function normaliseExclusions(entries: readonly (string | number)[] | undefined): string[] {
  if (!entries) return [];
  return entries.map((entry) => String(entry).replace(/\D/g, '')).filter((prefix) => prefix.length > 0);
}

/** True when the phone's digits start with any exclusion prefix (§4: prefix, not equality). */
export function isExcluded(phone: string, prefixes: readonly string[]): boolean {
  const digits = phone.replace(/\D/g, '');
  return prefixes.some((prefix) => digits.startsWith(prefix));
}

/** Operator "any" matches every operator (§3, §4). Names compare case-insensitively. */
export const ANY_OPERATOR = 'any';

/** A SIM that can take an operation right now: up, registered and not judged unhealthy. */
export function isLive(sim: LiveSim): boolean {
  return sim.online && sim.registered && sim.health !== 'unhealthy';
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export interface NumberRequestFilter {
  country: string;
  operator: string;
  service: string;
  exclusions: readonly string[];
}

/**
 * The SIMs GET_NUMBER may consider before the store checks busy and sold state: live, matching
 * country and operator (unless `any`), offering the service, not excluded.
 */
export function candidateSims(sims: readonly LiveSim[], filter: NumberRequestFilter): LiveSim[] {
  const anyOperator = sameName(filter.operator, ANY_OPERATOR);
  return sims.filter(
    (sim) =>
      isLive(sim) &&
      sameName(sim.country, filter.country) &&
      (anyOperator || sameName(sim.operator, filter.operator)) &&
      sim.services.some((service) => sameName(service, filter.service)) &&
      !isExcluded(sim.phone, filter.exclusions),
  );
}
