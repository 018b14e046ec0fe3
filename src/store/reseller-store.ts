/**
 * Persistence for Onlinesim's partner calls (onlinesim-reseller.md §3-§5). Asynchronous so a
 * server database can back it later; the SQLite implementation answers synchronously inside.
 */

import type { RentStore, RentTerms } from './rent-store.js';

/** FINISH_ACTIVATION `status` codes (onlinesim-reseller.md §5). */
export type FinishStatus = 1 | 3 | 4 | 5;

/** Per-(number, service) sale state (§9 "Per-service exclusion"). */
export type SimServiceState = 'available' | 'used' | 'never';

/** What the store must know to open an operation for GET_NUMBER. */
export interface ClaimRequest {
  /** Eligible phones (digits) by everything the store does not know: radio, country, exclusions. */
  candidatePhones: readonly string[];
  service: string;
  country: string;
  operator: string;
  /** `sum` offered in the GET_NUMBER body (RUB). */
  offeredSum: number | null;
  nowMs: number;
  /** Present for GET_NUMBER (rent): the operation is a rent (service `rent`) with these terms. */
  rent?: RentTerms;
}

/** The operation GET_NUMBER opened. */
export interface ClaimedNumber {
  operationId: number;
  phone: string;
}

export interface FinishRequest {
  activationId: number;
  status: FinishStatus;
  /** `sum` from the FINISH_ACTIVATION body, when sent. */
  sum: number | null;
  nowMs: number;
}

/**
 * - `closed`: an active operation was closed by this call.
 * - `recorded`: the operation had been ended locally (admin API) without a verdict; the verdict is
 *   recorded now (service state, sum), the end time is kept.
 * - `repeated`: the operation already had a verdict; nothing changed.
 * - `unknown`: no such id; logged in `unknown_finishes`.
 */
export type FinishOutcome =
  | { kind: 'closed' | 'recorded'; phone: string; service: string }
  | { kind: 'repeated'; phone: string; service: string; previousStatus: FinishStatus }
  | { kind: 'unknown' };

/** What GET_SERVICES must subtract from the live SIMs right now. */
export interface AvailabilitySnapshot {
  /** Phones with an active operation of any source. */
  busyPhones: ReadonlySet<string>;
  /** Services no longer sold per phone (used, never, or cancelled too often). */
  spentServices: ReadonlyMap<string, ReadonlySet<string>>;
}

/** One operation as the operator's view shows it. */
export interface OperationView {
  id: number;
  phone: string;
  service: string;
  source: 'admin' | 'reseller';
  status: 'active' | 'finished';
  finishStatus: FinishStatus | null;
  /** Credited sum (RUB), when known. */
  sum: number | null;
  offeredSum: number | null;
  country: string | null;
  operator: string | null;
  createdAtMs: number;
  finishedAtMs: number | null;
}

export interface ListOperationsFilter {
  activeOnly?: boolean;
  /** Newest first; default 100. */
  limit?: number;
}

/** Operation counts and the credited sum, for any grouping of operations. */
export interface EarningsTotals {
  operations: number;
  active: number;
  sold: number;
  cancelled: number;
  refunded: number;
  notOrdered: number;
  /** Sum credited (RUB) by operations finished with FINISH_ACTIVATION status 3. */
  earned: number;
}

/** Operation counts and credited sum for one (phone, service) pair. */
export interface EarningsRow extends EarningsTotals {
  phone: string;
  service: string;
}

export interface SimServiceRow {
  phone: string;
  service: string;
  state: SimServiceState;
  cancels: number;
}

export interface ResellerStore extends RentStore {
  /** Busy phones and spent (phone, service) pairs, for GET_SERVICES. */
  availability(): Promise<AvailabilitySnapshot>;
  /**
   * Atomically picks the least recently used candidate that is not busy and still sells
   * `service`, and opens an operation for it (source `reseller`). Null when none fits.
   */
  claimNumber(request: ClaimRequest): Promise<ClaimedNumber | null>;
  /** Closes an operation with Onlinesim's verdict; idempotent. */
  finishActivation(request: FinishRequest): Promise<FinishOutcome>;
  listOperations(filter?: ListOperationsFilter): Promise<OperationView[]>;
  /** Counts and credited sums per (phone, service), for the earnings report. */
  earnings(): Promise<EarningsRow[]>;
  /** The sale state of every (phone, service) pair that has one. */
  simServices(): Promise<SimServiceRow[]>;
}
