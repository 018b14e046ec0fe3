import type { Logger } from '../log.js';
import type { RentTerms } from '../store/rent-store.js';
import type { ResellerStore } from '../store/reseller-store.js';
import { candidateSims, normaliseExclusions } from './eligibility.js';
import type { LiveSim } from './live-sims.js';

export type NumberAnswer = { kind: 'number'; phone: string; activationId: number } | { kind: 'none' };

/** One GET_NUMBER, activation or rent, with its service already in lower case. */
export interface NumberClaim {
  country: string;
  operator: string;
  service: string;
  sum: number | null;
  exceptionPhoneSet?: readonly (string | number)[];
  nowMs: number;
  /** GET_NUMBER (rent): the store opens a rent with these terms. */
  rent?: RentTerms;
}

/** How the two kinds of GET_NUMBER log their outcome. */
export interface ClaimLog {
  log: Logger;
  /** Fields added to both lines (`service`, or the rent's `days`). */
  fields: Readonly<Record<string, unknown>>;
  none: string;
  opened: string;
}

/**
 * GET_NUMBER's one path (§4), shared by activations and rents: the eligible SIMs, then the store's
 * atomic claim of the least recently used free one.
 */
export async function claimNumber(
  store: Pick<ResellerStore, 'claimNumber'>,
  sims: readonly LiveSim[],
  claim: NumberClaim,
  logAs: ClaimLog,
): Promise<NumberAnswer> {
  const candidates = candidateSims(sims, {
    country: claim.country,
    operator: claim.operator,
    service: claim.service,
    exclusions: normaliseExclusions(claim.exceptionPhoneSet),
  });
  const claimed =
    candidates.length === 0
      ? null
      : await store.claimNumber({
          candidatePhones: candidates.map((sim) => sim.phone),
          service: claim.service,
          country: claim.country.toLowerCase(),
          operator: claim.operator.toLowerCase(),
          offeredSum: claim.sum,
          nowMs: claim.nowMs,
          ...(claim.rent ? { rent: claim.rent } : {}),
        });
  if (!claimed) {
    logAs.log.info(
      { country: claim.country, operator: claim.operator, ...logAs.fields, candidates: candidates.length },
      logAs.none,
    );
    return { kind: 'none' };
  }
  logAs.log.info(
    { activationId: claimed.operationId, phone: claimed.phone, ...logAs.fields, sum: claim.sum },
    logAs.opened,
  );
  return { kind: 'number', phone: claimed.phone, activationId: claimed.operationId };
}
