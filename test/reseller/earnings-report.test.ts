import { describe, expect, it } from 'vitest';
import { earningsReport } from '../../src/reseller/earnings-report.js';
import type { EarningsRow } from '../../src/store/reseller-store.js';

const row = (phone: string, service: string, sold: number, earned: number, cancelled = 0): EarningsRow => ({
  phone,
  service,
  operations: sold + cancelled,
  active: 0,
  sold,
  cancelled,
  refunded: 0,
  notOrdered: 0,
  earned,
});

describe('earningsReport', () => {
  it('sums per SIM and per service, richest first, with kopeck rounding', () => {
    const report = earningsReport([
      row('79000000001', 'vk', 1, 0.1),
      row('79000000001', 'instagram', 1, 0.2, 2),
      row('79000000002', 'vk', 2, 80),
    ]);
    expect(report.bySim).toEqual([
      {
        phone: '79000000002',
        operations: 2,
        active: 0,
        sold: 2,
        cancelled: 0,
        refunded: 0,
        notOrdered: 0,
        earned: 80,
      },
      {
        phone: '79000000001',
        operations: 4,
        active: 0,
        sold: 2,
        cancelled: 2,
        refunded: 0,
        notOrdered: 0,
        earned: 0.3,
      },
    ]);
    expect(report.byService.map((s) => [s.service, s.earned, s.sold])).toEqual([
      ['vk', 80.1, 3],
      ['instagram', 0.2, 1],
    ]);
    expect(report.total).toMatchObject({ operations: 6, sold: 4, cancelled: 2, earned: 80.3 });
  });

  it('is empty for no rows', () => {
    expect(earningsReport([])).toEqual({
      bySim: [],
      byService: [],
      total: { operations: 0, active: 0, sold: 0, cancelled: 0, refunded: 0, notOrdered: 0, earned: 0 },
    });
  });
});
