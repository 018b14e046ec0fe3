import type pg from 'pg';
import type { FarmRegistry, LiveSim, LiveSimRecord } from '../../reseller/live-sims.js';
import { inTransaction, withConnection } from './pg-connection.js';

export interface PgFarmOptions {
  node: string;
  staleAfterMs: number;
}

interface LiveSimRow {
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
 */
export class PgFarm implements FarmRegistry {
  readonly #pool: pg.Pool;
  readonly #node: string;
  readonly #staleAfterMs: number;

  constructor(pool: pg.Pool, options: PgFarmOptions) {
    this.#pool = pool;
    this.#node = options.node;
    this.#staleAfterMs = options.staleAfterMs;
  }

  heartbeat(sims: readonly LiveSimRecord[], nowMs: number): Promise<void> {
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
    });
  }

  otherHostsSims(nowMs: number): Promise<LiveSim[]> {
    return withConnection(this.#pool, async (sql) => {
      const rows = await sql.rows<LiveSimRow>(
        `SELECT s.phone, s.country, s.operator, s.services_json, s.online, s.registered
         FROM live_sims s JOIN nodes n ON n.name = s.node
         WHERE s.node <> $1 AND n.heard_at_ms > $2 ORDER BY s.sim_key`,
        [this.#node, nowMs - this.#staleAfterMs],
      );
      return rows.map((row) => ({
        phone: row.phone,
        country: row.country,
        operator: row.operator,
        services: JSON.parse(row.services_json) as string[],
        online: row.online,
        registered: row.registered,
      }));
    });
  }
}
