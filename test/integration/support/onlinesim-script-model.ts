import type { NumberOrder, ServicesAnswer } from './onlinesim-script-client.js';

/**
 * What the farm should offer, kept by the scripted Onlinesim from what it asked and answered
 * (shared/protocol/onlinesim-reseller.md §3-§5): a SIM counts for a service when its modem is
 * live (online and registered), it is in no open operation, and the (number, service) pair has
 * not been sold (3), refused (1), refunded (5) or cancelled (4) `maxCancels` times.
 * The test compares every GET_SERVICES answer with this model, and every GET_NUMBER answer with
 * `eligible()`.
 */

export interface ModelSim {
  /** Farm slot, or null for a configured SIM with no modem (a bank slot, never live). */
  slot: number | null;
  iccid: string;
  /** Digits with the country code, no '+'. */
  phone: string;
  country: string;
  operator: string;
  services: readonly string[];
}

export interface ModelOperation {
  id: number;
  phone: string;
  service: string;
  /** Until FINISH_ACTIVATION, or the admin API's DELETE, closes it. */
  open: boolean;
  finishStatus: 1 | 3 | 4 | 5 | null;
  /** GET_NUMBER's `sum`. */
  offeredSum: number | null;
  /** Credited: FINISH's `sum`, else for a sale (3) the offered one. */
  sum: number | null;
}

/** `/api/earnings` totals for one service or for the farm (earned = status 3 sums). */
export interface ModelEarnings {
  operations: number;
  active: number;
  sold: number;
  cancelled: number;
  refunded: number;
  notOrdered: number;
  earned: number;
}

interface PairState {
  /** Status 1, 3 or 5 seen: never offered again. */
  retired: boolean;
  cancels: number;
}

export class FarmModel {
  readonly sims: readonly ModelSim[];
  readonly operations = new Map<number, ModelOperation>();
  readonly #live = new Set<string>();
  readonly #pairs = new Map<string, PairState>();
  readonly #maxCancels: number;

  constructor(sims: readonly ModelSim[], maxCancels = 4) {
    this.sims = sims;
    this.#maxCancels = maxCancels;
  }

  setLive(phone: string, live: boolean): void {
    if (live) this.#live.add(phone);
    else this.#live.delete(phone);
  }

  sim(phone: string): ModelSim {
    const sim = this.sims.find((s) => s.phone === phone);
    if (!sim) throw new Error(`no SIM ${phone} in the model`);
    return sim;
  }

  isBusy(phone: string): boolean {
    return [...this.operations.values()].some((op) => op.phone === phone && op.open);
  }

  /** Live SIMs that may take `order` now (§4: match, not busy, pair available, not excluded). */
  eligible(order: NumberOrder): ModelSim[] {
    const prefixes = (order.exceptionPhoneSet ?? []).map((p) => String(p).replace(/\D/g, ''));
    return this.sims.filter(
      (sim) =>
        this.#live.has(sim.phone) &&
        sim.country === order.country &&
        (order.operator === 'any' || sim.operator === order.operator) &&
        sim.services.includes(order.service) &&
        !this.isBusy(sim.phone) &&
        this.#available(sim.phone, order.service) &&
        !prefixes.some((prefix) => prefix !== '' && sim.phone.startsWith(prefix)),
    );
  }

  open(id: number, phone: string, service: string, offeredSum: number | null = null): void {
    if (this.operations.has(id)) throw new Error(`activationId ${id} issued twice`);
    this.operations.set(id, { id, phone, service, open: true, finishStatus: null, offeredSum, sum: null });
  }

  /** Ended through the admin API: the SIM is free, the pair untouched until a verdict comes. */
  end(id: number): void {
    const op = this.operations.get(id);
    if (op) op.open = false;
  }

  /** Operations still open, in the order they were opened. */
  openOperations(): ModelOperation[] {
    return [...this.operations.values()].filter((op) => op.open);
  }

  /**
   * FINISH_ACTIVATION; a repeated or unknown id changes nothing (§5, idempotent). The first
   * verdict for an operation the admin API already ended still counts.
   */
  finish(id: number, status: 1 | 3 | 4 | 5, sum?: number): void {
    const op = this.operations.get(id);
    if (!op || op.finishStatus !== null) return;
    op.open = false;
    op.finishStatus = status;
    op.sum = sum ?? (status === 3 ? op.offeredSum : null);
    const key = pairKey(op.phone, op.service);
    const pair = this.#pairs.get(key) ?? { retired: false, cancels: 0 };
    if (status === 4) pair.cancels += 1;
    else pair.retired = true;
    this.#pairs.set(key, pair);
  }

  /** Expected positive counts, keyed `country/operator/service` (`any` = sum over operators). */
  expectedCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (key: string): void => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    for (const sim of this.sims) {
      if (!this.#live.has(sim.phone) || this.isBusy(sim.phone)) continue;
      for (const service of sim.services) {
        if (!this.#available(sim.phone, service)) continue;
        add(`${sim.country}/${sim.operator}/${service}`);
        add(`${sim.country}/any/${service}`);
      }
    }
    return counts;
  }

  /** Earnings per service and in total, as the operator's view should show them. */
  earnings(): { byService: Record<string, ModelEarnings>; total: ModelEarnings } {
    const zero = (): ModelEarnings => ({
      operations: 0,
      active: 0,
      sold: 0,
      cancelled: 0,
      refunded: 0,
      notOrdered: 0,
      earned: 0,
    });
    const byService: Record<string, ModelEarnings> = {};
    const total = zero();
    for (const op of this.operations.values()) {
      byService[op.service] ??= zero();
      for (const into of [byService[op.service] ?? zero(), total]) {
        into.operations += 1;
        if (op.open) into.active += 1;
        if (op.finishStatus === 3) {
          into.sold += 1;
          into.earned = Math.round((into.earned + (op.sum ?? 0)) * 100) / 100;
        }
        if (op.finishStatus === 4) into.cancelled += 1;
        if (op.finishStatus === 5) into.refunded += 1;
        if (op.finishStatus === 1) into.notOrdered += 1;
      }
    }
    return { byService, total };
  }

  #available(phone: string, service: string): boolean {
    const pair = this.#pairs.get(pairKey(phone, service));
    return !pair || (!pair.retired && pair.cancels < this.#maxCancels);
  }
}

function pairKey(phone: string, service: string): string {
  return `${phone}|${service}`;
}

/**
 * A GET_SERVICES answer as `country/operator/service -> count`, zero entries left out (listing a
 * service at 0 is allowed, reporting more than is free is not). Throws when the answer breaks
 * §3's shape: a non-integer count, or an `any` that is not the sum of the named operators.
 */
export function flattenServices(answer: ServicesAnswer): Map<string, number> {
  if (answer.status !== 'SUCCESS' || !Array.isArray(answer.countryList)) {
    throw new Error(`GET_SERVICES answered ${JSON.stringify(answer)}`);
  }
  const counts = new Map<string, number>();
  for (const { country, operatorMap } of answer.countryList) {
    const sums = new Map<string, number>();
    for (const [operator, services] of Object.entries(operatorMap)) {
      for (const [service, count] of Object.entries(services)) {
        if (!Number.isInteger(count) || count < 0) {
          throw new Error(`${country}/${operator}/${service} = ${JSON.stringify(count)} is not a count`);
        }
        if (count > 0) counts.set(`${country}/${operator}/${service}`, count);
        if (operator !== 'any') sums.set(service, (sums.get(service) ?? 0) + count);
      }
    }
    const any = operatorMap.any ?? {};
    for (const service of new Set([...sums.keys(), ...Object.keys(any)])) {
      if ((any[service] ?? 0) !== (sums.get(service) ?? 0)) {
        throw new Error(
          `${country}: any/${service} = ${any[service]} but the operators sum to ${sums.get(service) ?? 0}`,
        );
      }
    }
  }
  return counts;
}

/** A map as a sorted plain object, for readable `toEqual` failures. */
export function sortedObject(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
}
