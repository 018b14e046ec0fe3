import type pg from 'pg';
import {
  collectSmsCounts,
  type MinuteRow,
  type SimRow,
  SMS_BY_MINUTE_SINCE,
  SMS_BY_SIM_SINCE,
  type SmsCountReader,
} from '../sms-counts.js';
import { withConnection } from './pg-connection.js';

/** The status page's start counts from PostgreSQL (the queries are in ../sms-counts.ts). */
export function pgSmsCounts(pool: pg.Pool): SmsCountReader {
  return {
    smsCountsSince(dayStartMs, hourStartMs) {
      return withConnection(pool, async (sql) =>
        collectSmsCounts(
          await sql.rows<SimRow>(SMS_BY_SIM_SINCE, [dayStartMs]),
          await sql.rows<MinuteRow>(SMS_BY_MINUTE_SINCE, [hourStartMs]),
        ),
      );
    },
  };
}
