import type { SqliteDatabase } from './database.js';
import { allRows } from './sqlite-rows.js';

/** SMS stored since two instants: per SIM since `dayStartMs`, per minute since `hourStartMs`. */
export interface SmsCounts {
  /** By the store's SIM key (ICCID, `imsi:<imsi>` or `port:<port>`). */
  bySimSinceDayStart: Record<string, number>;
  /** By minute start (epoch ms). */
  byMinuteSinceHourStart: Record<number, number>;
}

/** Reads the counts the status page history starts from after a restart. */
export interface SmsCountReader {
  smsCountsSince(dayStartMs: number, hourStartMs: number): Promise<SmsCounts>;
}

/**
 * Every row of an SMS read from a SIM counts (a part of a long message is one SMS); the row a
 * multipart group assembles (dedupe key `group:<id>`) is not one more. Both read through the
 * `messages_received` index (migration 007), only the rows since the instant; run once at start.
 */
export const SMS_BY_SIM_SINCE = `SELECT sim_key, COUNT(*) AS n FROM messages
  WHERE received_at_ms >= $1 AND dedupe_key NOT LIKE 'group:%' GROUP BY sim_key`;
export const SMS_BY_MINUTE_SINCE = `SELECT (received_at_ms / 60000) * 60000 AS minute, COUNT(*) AS n FROM messages
  WHERE received_at_ms >= $1 AND dedupe_key NOT LIKE 'group:%' GROUP BY minute`;

export interface SimRow {
  sim_key: string;
  n: number | string;
}
export interface MinuteRow {
  minute: number | string;
  n: number | string;
}

export function collectSmsCounts(sims: readonly SimRow[], minutes: readonly MinuteRow[]): SmsCounts {
  const counts: SmsCounts = { bySimSinceDayStart: {}, byMinuteSinceHourStart: {} };
  for (const row of sims) counts.bySimSinceDayStart[row.sim_key] = Number(row.n);
  for (const row of minutes) counts.byMinuteSinceHourStart[Number(row.minute)] = Number(row.n);
  return counts;
}

export function sqliteSmsCounts(db: SqliteDatabase): SmsCountReader {
  const sqlite = (sql: string) => sql.replace('$1', '?');
  return {
    async smsCountsSince(dayStartMs, hourStartMs) {
      return collectSmsCounts(
        allRows<SimRow>(db, sqlite(SMS_BY_SIM_SINCE), dayStartMs),
        allRows<MinuteRow>(db, sqlite(SMS_BY_MINUTE_SINCE), hourStartMs),
      );
    },
  };
}
