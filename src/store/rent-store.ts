/**
 * What the stores keep for Onlinesim's long-term rent (onlinesim-reseller.md §7). A rent is an
 * operation with service {@link RENT_SERVICE}: the one-active-operation-per-phone rule keeps a
 * rented SIM away from activations and an activated SIM away from rents, on one host or farm-wide.
 */

/** The `operations.service` of every rent, whatever service name Onlinesim's call used. */
export const RENT_SERVICE = 'rent';

/** What GET_NUMBER (rent) adds to a claim. */
export interface RentTerms {
  days: number;
  expiresAtMs: number;
}

/** How a rent ended here: Onlinesim's FINISH, or locally after its end and the grace. */
export type RentEndReason = 'finish' | 'expired';

/** One rent as the operator's views show it. */
export interface RentView {
  operationId: number;
  phone: string;
  status: 'active' | 'finished';
  days: number;
  rentedAtMs: number;
  expiresAtMs: number;
  /** SMS routed to the rent (each queued once for pushSmsRent). */
  smsCount: number;
  /** The credited sum: FINISH's `sum`, else what GET_NUMBER offered on a sale; null before. */
  sum: number | null;
  finishStatus: number | null;
  endedAtMs: number | null;
  endReason: RentEndReason | null;
}

export interface RentListFilter {
  activeOnly?: boolean;
  /** Only these operations (the operations list adds rent details to its page). */
  operationIds?: readonly number[];
  /** Newest first; default 100. */
  limit?: number;
}

/** For /metrics: rents open, and credited sums (FINISH status 3) by kind of operation. */
export interface RentTotals {
  open: number;
  earnedByKind: { activation: number; rent: number };
}

/** The rent half of `ResellerStore`. */
export interface RentStore {
  rents(filter?: RentListFilter): Promise<RentView[]>;
  /**
   * Ends, as `expired`, every active rent whose end plus `graceMs` is at or before `nowMs`, and
   * returns their ids. A FINISH arriving later still records its verdict and sum.
   */
  expireRents(nowMs: number, graceMs: number): Promise<number[]>;
  rentTotals(): Promise<RentTotals>;
}
