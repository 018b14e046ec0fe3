import type { EarningsRow, EarningsTotals } from '../store/reseller-store.js';

export type { EarningsTotals };

/** Totals per SIM, per service and overall, as `GET /api/earnings` returns them (most earned first). */
export interface EarningsReport {
  bySim: Array<{ phone: string } & EarningsTotals>;
  byService: Array<{ service: string } & EarningsTotals>;
  total: EarningsTotals;
}

const zero = (): EarningsTotals => ({
  operations: 0,
  active: 0,
  sold: 0,
  cancelled: 0,
  refunded: 0,
  notOrdered: 0,
  earned: 0,
});

function add(into: EarningsTotals, row: EarningsTotals): void {
  into.operations += row.operations;
  into.active += row.active;
  into.sold += row.sold;
  into.cancelled += row.cancelled;
  into.refunded += row.refunded;
  into.notOrdered += row.notOrdered;
  // Sums are RUB with kopecks: round to 2 places so 0.1 + 0.2 reads as 0.3.
  into.earned = Math.round((into.earned + row.earned) * 100) / 100;
}

/** Earnings per SIM and per service from the store's per-(phone, service) rows. Pure. */
export function earningsReport(rows: readonly EarningsRow[]): EarningsReport {
  const bySim = new Map<string, EarningsTotals>();
  const byService = new Map<string, EarningsTotals>();
  const total = zero();
  for (const row of rows) {
    add(bySim.get(row.phone) ?? setNew(bySim, row.phone), row);
    add(byService.get(row.service) ?? setNew(byService, row.service), row);
    add(total, row);
  }
  return {
    bySim: [...bySim].map(([phone, totals]) => ({ phone, ...totals })).sort((a, b) => b.earned - a.earned),
    byService: [...byService]
      .map(([service, totals]) => ({ service, ...totals }))
      .sort((a, b) => b.earned - a.earned),
    total,
  };
}

function setNew(map: Map<string, EarningsTotals>, key: string): EarningsTotals {
  const totals = zero();
  map.set(key, totals);
  return totals;
}
