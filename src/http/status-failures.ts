import type { AdminMessages } from './admin-deps.js';

/**
 * The failure counts of the status page: messages that will not reach a customer (rejected,
 * expired, invalid) or reached no operation. The recent-messages table shows 25 rows, so a burst
 * of failures scrolls out of it; these counts do not depend on what the table shows.
 */

export const FAILURE_STATUSES = ['rejected', 'expired', 'invalid', 'no_operation'] as const;
export type FailureStatus = (typeof FAILURE_STATUSES)[number];
export type FailureCounts = Record<FailureStatus, number>;

/** Statuses that make the badge warn; `no_operation` is counted but is routine on a busy SIM. */
export const WARNING_STATUSES: readonly FailureStatus[] = ['rejected', 'expired', 'invalid'];

export const FAILURE_WINDOW_MS = 24 * 3_600_000;
/** Messages read per status to count the last day; a count that reaches it is shown as "N+". */
export const FAILURE_SCAN_LIMIT = 200;

export interface FailureSummary {
  /** Received within the last 24 h (at most `FAILURE_SCAN_LIMIT` each). */
  lastDay: FailureCounts;
  /** A status whose last-day count reached the scan limit. */
  capped: FailureStatus[];
  /** Since the store was created, when the health facts carry `messagesByStatus`; else null. */
  total: FailureCounts | null;
}

/** Counts the last day's failures by listing the newest messages of each failure status. */
export async function countFailures(
  messages: AdminMessages,
  totals: unknown,
  nowMs: number,
): Promise<FailureSummary> {
  const since = nowMs - FAILURE_WINDOW_MS;
  const lastDay = emptyCounts();
  const capped: FailureStatus[] = [];
  await Promise.all(
    FAILURE_STATUSES.map(async (status) => {
      const listed = await messages.list({ status, limit: FAILURE_SCAN_LIMIT });
      lastDay[status] = listed.filter((m) => receivedMs(m) >= since).length;
      if (lastDay[status] >= FAILURE_SCAN_LIMIT) capped.push(status);
    }),
  );
  return { lastDay, capped, total: totalsFrom(totals) };
}

/** `8 invalid in 24 h, 1 rejected in 24 h`, or null when nothing warns. */
export function describeFailures(summary: FailureSummary): string | null {
  const parts = WARNING_STATUSES.filter((status) => summary.lastDay[status] > 0).map((status) => {
    const plus = summary.capped.includes(status) ? '+' : '';
    return `${summary.lastDay[status]}${plus} ${status}`;
  });
  return parts.length === 0 ? null : `${parts.join(', ')} in 24 h`;
}

function emptyCounts(): FailureCounts {
  return { rejected: 0, expired: 0, invalid: 0, no_operation: 0 };
}

function receivedMs(message: object): number {
  const m = message as { receivedAtMs?: unknown; receivedAt?: unknown };
  if (typeof m.receivedAtMs === 'number') return m.receivedAtMs;
  if (typeof m.receivedAt === 'string') return Date.parse(m.receivedAt);
  return Number.NaN;
}

function totalsFrom(value: unknown): FailureCounts | null {
  if (typeof value !== 'object' || value === null) return null;
  const counts = emptyCounts();
  for (const status of FAILURE_STATUSES) {
    const n = (value as Record<string, unknown>)[status];
    counts[status] = typeof n === 'number' && Number.isFinite(n) ? n : 0;
  }
  return counts;
}
