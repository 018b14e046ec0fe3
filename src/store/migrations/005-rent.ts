import type { DualMigration } from './types.js';

/**
 * Long-term rent (onlinesim-reseller.md §7). A rent is an operation like an activation, in the
 * shared `operations` table with service `rent`, so the busy-SIM rules (one active operation per
 * phone, farm-wide with PostgreSQL) hold for both kinds at once; `rent_operations` adds what only
 * a rent has:
 *
 * - `days` and `expires_at_ms`: the length GET_NUMBER (rent) asked for and the end it gives;
 * - `sms_count`: SMS routed to the rent (queued for pushSmsRent), counted in the ingest
 *   transaction that queued them;
 * - `finish_sum`: the `sum` FINISH_ACTIVATION (rent) reported, Onlinesim pays when a rent closes;
 * - `ended_at_ms` / `end_reason`: `finish` (Onlinesim's FINISH) or `expired` (ended here after
 *   its end and the configured grace).
 */
export const migration005Rent: DualMigration = {
  version: 5,
  name: 'rent',
  sql: `
CREATE TABLE rent_operations (
  operation_id INTEGER PRIMARY KEY REFERENCES operations(id),
  days INTEGER NOT NULL CHECK (days >= 1),
  expires_at_ms INTEGER NOT NULL,
  sms_count INTEGER NOT NULL DEFAULT 0 CHECK (sms_count >= 0),
  finish_sum REAL,
  ended_at_ms INTEGER,
  end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('finish','expired'))
);
CREATE INDEX rent_operations_open ON rent_operations(expires_at_ms) WHERE ended_at_ms IS NULL;
`,
  postgres: `
CREATE TABLE rent_operations (
  operation_id BIGINT PRIMARY KEY REFERENCES operations(id),
  days INTEGER NOT NULL CHECK (days >= 1),
  expires_at_ms BIGINT NOT NULL,
  sms_count INTEGER NOT NULL DEFAULT 0 CHECK (sms_count >= 0),
  finish_sum DOUBLE PRECISION,
  ended_at_ms BIGINT,
  end_reason TEXT CHECK (end_reason IS NULL OR end_reason IN ('finish','expired'))
);
CREATE INDEX rent_operations_open ON rent_operations(expires_at_ms) WHERE ended_at_ms IS NULL;
`,
};
