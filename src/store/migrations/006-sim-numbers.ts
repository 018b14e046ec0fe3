import type { DualMigration } from './types.js';

/**
 * Numbers found by the SIMs themselves (src/sims): `AT+CNUM` or the operator's USSD code, one row
 * per ICCID. `confirmed_at_ms` stays NULL until the operator confirms the number (`simbridge sims
 * confirm`, `POST /api/sims/{iccid}/confirm`); only then is the SIM offered to Onlinesim. A new
 * number found for the same ICCID (the SIM was re-numbered, or a parse was wrong) clears the
 * confirmation. SIMs of the config's `sims` list never get a row: the config always wins.
 */
export const migration006SimNumbers: DualMigration = {
  version: 6,
  name: 'sim-numbers',
  sql: `
CREATE TABLE sim_numbers (
  iccid TEXT PRIMARY KEY,
  imsi TEXT,
  phone TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('cnum', 'ussd')),
  operator TEXT,
  discovered_at_ms INTEGER NOT NULL,
  confirmed_at_ms INTEGER
);
`,
  postgres: `
CREATE TABLE sim_numbers (
  iccid TEXT PRIMARY KEY,
  imsi TEXT,
  phone TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('cnum', 'ussd')),
  operator TEXT,
  discovered_at_ms BIGINT NOT NULL,
  confirmed_at_ms BIGINT
);
`,
};
