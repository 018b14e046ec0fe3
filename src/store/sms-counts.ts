import type pg from 'pg';
import type { SqliteDatabase } from './database.js';
import { withConnection } from './postgres/pg-connection.js';
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
 * multipart group assembles (dedupe key `group:<id>`) is not one more. There is no index on
 * `received_at_ms`: this scans the table, so it runs once at start, never per page refresh.
 */
const BY_SIM = `SELECT sim_key, COUNT(*) AS n FROM messages
  WHERE received_at_ms >= $1 AND dedupe_key NOT LIKE 'group:%' GROUP BY sim_key`;
const BY_MINUTE = `SELECT (received_at_ms / 60000) * 60000 AS minute, COUNT(*) AS n FROM messages
  WHERE received_at_ms >= $1 AND dedupe_key NOT LIKE 'group:%' GROUP BY minute`;

interface SimRow {
  sim_key: string;
  n: number | string;
}
interface MinuteRow {
  minute: number | string;
  n: number | string;
}

function collect(sims: readonly SimRow[], minutes: readonly MinuteRow[]): SmsCounts {
  const counts: SmsCounts = { bySimSinceDayStart: {}, byMinuteSinceHourStart: {} };
  for (const row of sims) counts.bySimSinceDayStart[row.sim_key] = Number(row.n);
  for (const row of minutes) counts.byMinuteSinceHourStart[Number(row.minute)] = Number(row.n);
  return counts;
}

export function sqliteSmsCounts(db: SqliteDatabase): SmsCountReader {
  const sqlite = (sql: string) => sql.replace('$1', '?');
  return {
    async smsCountsSince(dayStartMs, hourStartMs) {
      return collect(
        allRows<SimRow>(db, sqlite(BY_SIM), dayStartMs),
        allRows<MinuteRow>(db, sqlite(BY_MINUTE), hourStartMs),
      );
    },
  };
}

export function pgSmsCounts(pool: pg.Pool): SmsCountReader {
  return {
    smsCountsSince(dayStartMs, hourStartMs) {
      return withConnection(pool, async (sql) =>
        collect(
          await sql.rows<SimRow>(BY_SIM, [dayStartMs]),
          await sql.rows<MinuteRow>(BY_MINUTE, [hourStartMs]),
        ),
      );
    },
  };
}
