import type { AdminOperation, HealthFacts } from './admin-deps.js';

/** A rent as the status page shows it (from the operations list's `rent` details). */
export interface StatusRent {
  id: number;
  phone: string;
  rentedUntil: string | null;
  /** Until the rent's end; negative once past it (waiting for FINISH or the grace). */
  leftMs: number | null;
  smsCount: number;
  sum: number | null;
  atRisk: boolean;
}

/** The active rents among the listed operations, at risk first. */
export function statusRents(active: readonly AdminOperation[], nowMs: number): StatusRent[] {
  const rents: StatusRent[] = [];
  for (const op of active) {
    const rent = (op as AdminOperation & { rent?: unknown }).rent;
    if (op.status !== 'active' || typeof rent !== 'object' || rent === null) continue;
    const r = rent as Record<string, unknown>;
    const until = typeof r.rentedUntilMs === 'number' ? r.rentedUntilMs : null;
    rents.push({
      id: op.id,
      phone: op.phone,
      rentedUntil: until === null ? null : new Date(until).toISOString(),
      leftMs: until === null ? null : until - nowMs,
      smsCount: typeof r.smsCount === 'number' ? r.smsCount : 0,
      sum: typeof r.sum === 'number' ? r.sum : null,
      atRisk: r.atRisk === true,
    });
  }
  return rents.sort((a, b) => Number(b.atRisk) - Number(a.atRisk) || a.id - b.id);
}

/**
 * The `/healthz` and status-page warning for `rentsAtRisk` (main.ts): rented SIMs in no live
 * modem get no SMS, and Onlinesim bans a number after 3 rents without SMS (§7). Null when none.
 */
export function rentsAtRiskWarning(facts: HealthFacts): string | null {
  const atRisk = facts.rentsAtRisk;
  if (!Array.isArray(atRisk) || atRisk.length === 0) return null;
  const n = atRisk.length;
  return `${n} rent${n === 1 ? '' : 's'} at risk: the rented SIM is in no live modem`;
}
