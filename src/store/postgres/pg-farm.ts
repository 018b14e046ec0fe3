import type pg from 'pg';
import type { FarmRegistry, LiveSim, LiveSimRecord } from '../../reseller/live-sims.js';
import { notifyChange, type PgChangeFeed, ReadCache } from './pg-change-feed.js';
import { inTransaction, withConnection } from './pg-connection.js';

export interface PgFarmOptions {
  node: string;
  staleAfterMs: number;
}

interface LiveSimRow {
  heard_at_ms: number;
  phone: string;
  country: string;
  operator: string;
  services_json: string;
  online: boolean;
  registered: boolean;
}

/**
 * The farm's shared view in PostgreSQL: `nodes` (one heartbeat per host) and `live_sims` (the
 * SIMs each host has, written with its heartbeat). A SIM whose host has not been heard from for
 * `staleAfterMs` is not offered: its host may be dead, and a number it cannot receive for must
 * not be sold.
 *
 * The other hosts' rows are read once per change (a host's heartbeat, announced through the
 * change feed), not on every call: the status page asks twice per refresh, and the partner's
 * GET_SERVICES polls. Staleness is judged on every call from the heartbeat time kept with them.
 */
export class PgFarm implements FarmRegistry {
  readonly #pool: pg.Pool;
  readonly #node: string;
  readonly #staleAfterMs: number;
  readonly #feed: PgChangeFeed | null;
  readonly #others: ReadCache<readonly LiveSimRow[]>;

  constructor(pool: pg.Pool, options: PgFarmOptions, feed: PgChangeFeed | null = null) {
    this.#pool = pool;
    this.#feed = feed;
    this.#node = options.node;
    this.#staleAfterMs = options.staleAfterMs;
    this.#others = new ReadCache(feed, 'live_sims');
  }

  async heartbeat(sims: readonly LiveSimRecord[], nowMs: number): Promise<void> {
    try {
      await this.#heartbeat(sims, nowMs);
    } finally {
      // A SIM taken over from another host leaves that host's rows.
      this.#others.invalidate();
    }
  }

  #heartbeat(sims: readonly LiveSimRecord[], nowMs: number): Promise<void> {
    return inTransaction(this.#pool, async (sql) => {
      await sql.run(
        `INSERT INTO nodes (name, heard_at_ms, started_at_ms) VALUES ($1, $2, $2)
         ON CONFLICT (name) DO UPDATE SET heard_at_ms = EXCLUDED.heard_at_ms`,
        [this.#node, nowMs],
      );
      await sql.run('DELETE FROM live_sims WHERE node = $1 AND NOT (sim_key = ANY($2::text[]))', [
        this.#node,
        sims.map((s) => s.simKey),
      ]);
      for (const sim of sims) {
        // A SIM moved here from another host takes its row over.
        await sql.run(
          `INSERT INTO live_sims (sim_key, node, iccid, phone, country, operator, services_json, online, registered, seen_at_ms)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (sim_key) DO UPDATE SET node = EXCLUDED.node, iccid = EXCLUDED.iccid, phone = EXCLUDED.phone,
             country = EXCLUDED.country, operator = EXCLUDED.operator, services_json = EXCLUDED.services_json,
             online = EXCLUDED.online, registered = EXCLUDED.registered, seen_at_ms = EXCLUDED.seen_at_ms`,
          [
            sim.simKey,
            this.#node,
            sim.iccid,
            sim.phone,
            sim.country,
            sim.operator,
            JSON.stringify(sim.services),
            sim.online,
            sim.registered,
            nowMs,
          ],
        );
      }
      await notifyChange(sql, 'live_sims', this.#feed);
    });
  }

  async otherHostsSims(nowMs: number): Promise<LiveSim[]> {
    const rows = await this.#others.get(() => this.#readOthers());
    return rows
      .filter((row) => row.heard_at_ms > nowMs - this.#staleAfterMs)
      .map((row) => ({
        phone: row.phone,
        country: row.country,
        operator: row.operator,
        services: JSON.parse(row.services_json) as string[],
        online: row.online,
        registered: row.registered,
      }));
  }

  /** Every other host's rows, stale ones too: whether a host is stale depends on the caller's now. */
  #readOthers(): Promise<LiveSimRow[]> {
    return withConnection(this.#pool, (sql) =>
      sql.rows<LiveSimRow>(
        `SELECT n.heard_at_ms, s.phone, s.country, s.operator, s.services_json, s.online, s.registered
         FROM live_sims s JOIN nodes n ON n.name = s.node
         WHERE s.node <> $1 ORDER BY s.sim_key`,
        [this.#node],
      ),
    );
  }
}
