import type { DualMigration } from './types.js';

/**
 * Schema for serving Onlinesim's partner calls (onlinesim-reseller.md §3-§5, §9).
 *
 * - `sim_services`: the persistent `(number, service) -> {state, cancels}` table of §9. A missing
 *   row means "available". FINISH_ACTIVATION 3/5 sets `used`, 1 sets `never`, 4 adds a cancel and
 *   sets `never` once the cancel limit is reached: such pairs are never counted or sold again.
 * - `reseller_operations`: what GET_NUMBER asked for (country, operator, offered sum) and what
 *   FINISH_ACTIVATION answered, one row per operation in the shared `operations` table.
 * - `unknown_finishes`: FINISH_ACTIVATION calls for ids this farm never issued, kept for the
 *   operator (they still answer SUCCESS so the peer stops resending, §5 "Idempotency").
 * - `operations_phone_created`: makes "when was this SIM last used" an index lookup, for the
 *   least-recently-used choice in GET_NUMBER.
 */
export const RESELLER_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS sim_services (
  phone TEXT NOT NULL,
  service TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('available','used','never')),
  cancels INTEGER NOT NULL DEFAULT 0 CHECK (cancels >= 0),
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (phone, service)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS reseller_operations (
  operation_id INTEGER PRIMARY KEY REFERENCES operations(id),
  country TEXT,
  operator TEXT,
  offered_sum REAL,
  finish_sum REAL,
  finish_status INTEGER CHECK (finish_status IS NULL OR finish_status IN (1,3,4,5)),
  finished_at_ms INTEGER
);

CREATE TABLE IF NOT EXISTS unknown_finishes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  activation_id INTEGER NOT NULL,
  finish_status INTEGER NOT NULL,
  sum REAL,
  received_at_ms INTEGER NOT NULL
);

CREATE INDEX IF NOT EXISTS operations_phone_created ON operations(phone, created_at_ms);
`;

/** Migration 002: reseller tables on top of the core `operations` table created by 001. */
/** The same tables in PostgreSQL's dialect. */
const RESELLER_SCHEMA_POSTGRES = `
CREATE TABLE IF NOT EXISTS sim_services (
  phone TEXT NOT NULL,
  service TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('available','used','never')),
  cancels INTEGER NOT NULL DEFAULT 0 CHECK (cancels >= 0),
  updated_at_ms BIGINT NOT NULL,
  PRIMARY KEY (phone, service)
);

CREATE TABLE IF NOT EXISTS reseller_operations (
  operation_id BIGINT PRIMARY KEY REFERENCES operations(id),
  country TEXT,
  operator TEXT,
  offered_sum DOUBLE PRECISION,
  finish_sum DOUBLE PRECISION,
  finish_status INTEGER CHECK (finish_status IS NULL OR finish_status IN (1,3,4,5)),
  finished_at_ms BIGINT
);

CREATE TABLE IF NOT EXISTS unknown_finishes (
  id BIGSERIAL PRIMARY KEY,
  activation_id BIGINT NOT NULL,
  finish_status INTEGER NOT NULL,
  sum DOUBLE PRECISION,
  received_at_ms BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS operations_phone_created ON operations(phone, created_at_ms);
`;

/** Migration 002: reseller tables on top of the core `operations` table created by 001. */
export const migration002Reseller: DualMigration = {
  version: 2,
  name: 'reseller',
  sql: RESELLER_SCHEMA_SQL,
  postgres: RESELLER_SCHEMA_POSTGRES,
};
