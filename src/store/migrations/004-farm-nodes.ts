import type { DualMigration } from './types.js';

/**
 * Several hosts sharing one store (PostgreSQL):
 *
 * - `nodes`: one row per host (`node.name`), its last heartbeat; a host unheard for
 *   `node.staleAfterMs` is presumed dead.
 * - `live_sims`: the SIMs each host has in a modem right now, written with the heartbeat, so any
 *   host can count and sell the whole farm. Keyed by the SIM (ICCID, or `imsi:<imsi>`): a SIM
 *   moved to another host moves its row.
 * - `pushes.lease_owner`: the host holding a push's lease. Another host takes the push over only
 *   once the lease ended and its owner is unheard; at start a host releases its own old leases.
 * - `push_attempts.node`: the host that made the attempt, for the operator.
 *
 * SQLite gets the same tables and columns so both stores share version numbers; a single host
 * on SQLite leaves them empty.
 */
export const migration004FarmNodes: DualMigration = {
  version: 4,
  name: 'farm-nodes',
  sql: `
CREATE TABLE nodes (
  name TEXT PRIMARY KEY,
  heard_at_ms INTEGER NOT NULL,
  started_at_ms INTEGER NOT NULL
);

CREATE TABLE live_sims (
  sim_key TEXT PRIMARY KEY,
  node TEXT NOT NULL,
  iccid TEXT,
  phone TEXT NOT NULL,
  country TEXT NOT NULL,
  operator TEXT NOT NULL,
  services_json TEXT NOT NULL,
  online INTEGER NOT NULL,
  registered INTEGER NOT NULL,
  seen_at_ms INTEGER NOT NULL
);
CREATE INDEX live_sims_node ON live_sims(node);

ALTER TABLE pushes ADD COLUMN lease_owner TEXT;
ALTER TABLE push_attempts ADD COLUMN node TEXT;
`,
  postgres: `
CREATE TABLE nodes (
  name TEXT PRIMARY KEY,
  heard_at_ms BIGINT NOT NULL,
  started_at_ms BIGINT NOT NULL
);

CREATE TABLE live_sims (
  sim_key TEXT PRIMARY KEY,
  node TEXT NOT NULL,
  iccid TEXT,
  phone TEXT NOT NULL,
  country TEXT NOT NULL,
  operator TEXT NOT NULL,
  services_json TEXT NOT NULL,
  online BOOLEAN NOT NULL,
  registered BOOLEAN NOT NULL,
  seen_at_ms BIGINT NOT NULL
);
CREATE INDEX live_sims_node ON live_sims(node);

ALTER TABLE pushes ADD COLUMN lease_owner TEXT;
ALTER TABLE push_attempts ADD COLUMN node TEXT;
`,
};
