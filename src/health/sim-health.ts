/**
 * The health rules of one SIM (issue #15): pure, so the monitor, the reseller view, the status
 * page and the metrics all judge alike. A SIM is `unhealthy` when
 *
 * - `unregistered`: its modem is up but not registered on a network (it cannot receive);
 * - `read_errors`: its last `readErrorsInARow` SMS reads (`AT+CMGR` / `AT+CMGL`) all ended in
 *   `+CMS ERROR` (blocked SIM, broken storage); one successful read clears it;
 * - `low_balance`: its balance is known and below `minBalance` (prepaid SIMs stop receiving).
 *
 * When several apply, the first in that order is the reason shown.
 */

import type { Config } from '../config/schema.js';

export type SimHealth = 'healthy' | 'unhealthy';

export const SIM_HEALTH_REASONS = ['unregistered', 'read_errors', 'low_balance'] as const;
export type SimHealthReason = (typeof SIM_HEALTH_REASONS)[number];

export interface SimHealthVerdict {
  health: SimHealth;
  /** Why it is unhealthy; null when healthy. */
  reason: SimHealthReason | null;
}

export const HEALTHY: SimHealthVerdict = Object.freeze({ health: 'healthy', reason: null });

/** A verdict as the admin API's modems and the reseller's live SIMs carry it. */
export interface SimHealthFields {
  health: SimHealth;
  healthReason: SimHealthReason | null;
}

export function healthFieldsOf(verdict: SimHealthVerdict): SimHealthFields {
  return { health: verdict.health, healthReason: verdict.reason };
}

/** The `health:` config keys the rules read. */
export interface SimHealthRules {
  /** Failed reads in a row that make a SIM unhealthy. */
  readErrorsInARow: number;
  /** Balance under which a SIM is unhealthy; null: balance not judged. */
  minBalance: number | null;
}

/** What is known about one SIM right now. */
export interface SimHealthSignals {
  /** Registered on a network, as the monitor last knew it while the modem was up. */
  registered: boolean;
  /** SMS reads that ended in `+CMS ERROR` since the last successful one. */
  readErrorsInARow: number;
  /** Latest balance read by USSD, null when unknown. */
  balance: number | null;
}

/**
 * The rules as the config sets them. The threshold is `health.minBalance`, else
 * `sims.minBalance` (where "Adding SIMs" puts it, next to the balance USSD settings); when both
 * are set, `health.minBalance` wins. Neither: balance is not judged.
 */
export function simHealthRulesOf(config: Pick<Config, 'health' | 'simOptions'>): SimHealthRules {
  return {
    readErrorsInARow: config.health.readErrorsInARow,
    minBalance: config.health.minBalance ?? config.simOptions.minBalance ?? null,
  };
}

export function judgeSimHealth(signals: SimHealthSignals, rules: SimHealthRules): SimHealthVerdict {
  const reason = firstReason(signals, rules);
  return reason === null ? HEALTHY : { health: 'unhealthy', reason };
}

function firstReason(signals: SimHealthSignals, rules: SimHealthRules): SimHealthReason | null {
  if (!signals.registered) return 'unregistered';
  if (signals.readErrorsInARow >= rules.readErrorsInARow) return 'read_errors';
  if (rules.minBalance !== null && signals.balance !== null && signals.balance < rules.minBalance) {
    return 'low_balance';
  }
  return null;
}

/** Where the latest balance of a SIM comes from (the USSD balance reader); null when unknown. */
export interface BalanceSource {
  balanceOf(iccid: string): number | null;
}

/** Until a balance reader is wired, no balance is known and none is judged. */
export const NO_BALANCES: BalanceSource = { balanceOf: () => null };
