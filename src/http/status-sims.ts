import { normalizeIccid } from '../config/iccid.js';
import type { AdminSim } from './admin-sims.js';
import type { ModemView } from './modem-view.js';

/**
 * What the status page shows of each modem's SIM from the SIM registry (`GET /api/sims`, README
 * "Adding SIMs"): its latest balance, and whether its number was found by the SIM but not yet
 * confirmed, in which case the SIM is not offered to Onlinesim and the operator is told how to
 * confirm it.
 */

export interface StatusSimFields {
  /** Latest balance read by USSD (RUB); null when never read, unreadable, or no SIM list. */
  balance: number | null;
  /** When the balance was last read, ISO 8601; null when never. */
  balanceAt: string | null;
  /** The number was discovered (AT+CNUM / USSD) and awaits confirmation: not offered. */
  numberUnconfirmed: boolean;
  /** The discovered number awaiting confirmation (E.164 digits), null otherwise. */
  discoveredPhone: string | null;
  /** What the operator runs to offer the SIM, when its number is unconfirmed. */
  confirmHint: string | null;
}

export const NO_SIM_FIELDS: StatusSimFields = Object.freeze({
  balance: null,
  balanceAt: null,
  numberUnconfirmed: false,
  discoveredPhone: null,
  confirmHint: null,
});

/** The registry's SIMs by normalised ICCID, for {@link statusSimFields}. */
export function simsByIccid(sims: readonly AdminSim[]): ReadonlyMap<string, AdminSim> {
  return new Map(sims.map((sim) => [normalizeIccid(sim.iccid), sim]));
}

/** The SIM fields of one modem row; none when its SIM is not in the registry's list. */
export function statusSimFields(view: ModemView, sims: ReadonlyMap<string, AdminSim>): StatusSimFields {
  const sim = view.iccid ? sims.get(normalizeIccid(view.iccid)) : undefined;
  if (!sim) return NO_SIM_FIELDS;
  const balance = finiteOrNull(sim.balance);
  const balanceAtMs = finiteOrNull(sim.balanceAtMs);
  const unconfirmed = sim.phone !== null && !sim.confirmed;
  return {
    balance,
    balanceAt: balanceAtMs === null || balance === null ? null : new Date(balanceAtMs).toISOString(),
    numberUnconfirmed: unconfirmed,
    discoveredPhone: unconfirmed ? sim.phone : null,
    confirmHint: unconfirmed ? `simbridge sims confirm ${sim.iccid}` : null,
  };
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
