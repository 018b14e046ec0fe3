import { RENT_SERVICE, type RentStore, type RentView } from '../store/rent-store.js';
import { isLive } from './eligibility.js';
import type { LiveSim } from './live-sims.js';

/** A rent's state as `GET /api/operations` and the status page show it. */
export interface RentDetails {
  days: number;
  rentedUntilMs: number;
  /** SMS routed to the rent so far. */
  smsCount: number;
  /** Credited sum once Onlinesim closed it (FINISH `sum`). */
  sum: number | null;
  endReason: RentView['endReason'];
  /**
   * Active, and its SIM is in no live modem of the farm (unplugged, not registered, or its host
   * unheard): no SMS can reach the rent, and 3 rents without SMS ban the number (§7).
   */
  atRisk: boolean;
}

export type OperationKind = 'activation' | 'rent';

/** An active rent whose SIM has gone, for `/healthz` (`rentsAtRisk`) and the status page. */
export interface RentAtRisk {
  operationId: number;
  phone: string;
  rentedUntilMs: number;
  smsCount: number;
}

interface ListedOperation {
  id: number;
  phone: string;
  service: string;
  status: string;
}

/**
 * Adds `kind` to every listed operation, and `rent` details to the rents (one store read for
 * the page). Other fields pass through as listed.
 */
export async function withRentDetails<T extends ListedOperation>(
  operations: readonly T[],
  store: Pick<RentStore, 'rents'>,
  liveSims: () => Promise<readonly LiveSim[]>,
): Promise<Array<T & { kind: OperationKind; rent?: RentDetails }>> {
  const rentIds = operations.filter((op) => op.service === RENT_SERVICE).map((op) => op.id);
  if (rentIds.length === 0) return operations.map((op) => ({ ...op, kind: 'activation' as const }));
  const [rents, sims] = await Promise.all([store.rents({ operationIds: rentIds }), liveSims()]);
  const byId = new Map(rents.map((rent) => [rent.operationId, rent]));
  const live = livePhones(sims);
  return operations.map((op) => {
    const rent = byId.get(op.id);
    if (!rent)
      return { ...op, kind: op.service === RENT_SERVICE ? ('rent' as const) : ('activation' as const) };
    return {
      ...op,
      kind: 'rent' as const,
      rent: {
        days: rent.days,
        rentedUntilMs: rent.expiresAtMs,
        smsCount: rent.smsCount,
        sum: rent.sum,
        endReason: rent.endReason,
        atRisk: rent.status === 'active' && !live.has(rent.phone),
      },
    };
  });
}

/** Active rents whose SIM is in no live modem right now. */
export function rentsAtRisk(active: readonly RentView[], sims: readonly LiveSim[]): RentAtRisk[] {
  const live = livePhones(sims);
  return active
    .filter((rent) => rent.status === 'active' && !live.has(rent.phone))
    .map((rent) => ({
      operationId: rent.operationId,
      phone: rent.phone,
      rentedUntilMs: rent.expiresAtMs,
      smsCount: rent.smsCount,
    }));
}

function livePhones(sims: readonly LiveSim[]): Set<string> {
  return new Set(sims.filter(isLive).map((sim) => sim.phone));
}
