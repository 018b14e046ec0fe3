import type { DualMigration } from './types.js';

/**
 * The core schema: SIMs, messages (with multipart parts as message rows), multipart groups,
 * Onlinesim operations, the push outbox and its attempts, and named counters.
 *
 * `postgres` is the same schema in PostgreSQL's dialect (BIGINT epoch ms, BIGSERIAL ids; the
 * group -> message key is added once both tables exist).
 *
 * `messages.status` has no CHECK constraint on purpose: SQLite cannot alter one in place, and the
 * set of statuses (see `MessageStatus` in ../repository.ts) may grow.
 */
export const migration001Core: DualMigration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE sims (
  iccid TEXT PRIMARY KEY,
  imsi TEXT,
  phone TEXT,
  port TEXT,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
);

CREATE TABLE operations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- Onlinesim operation/activation id; >= 1; never reused
  phone TEXT NOT NULL,
  service TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('admin','reseller')),
  status TEXT NOT NULL CHECK (status IN ('active','finished')),
  finish_status INTEGER,          -- FINISH_ACTIVATION status 1,3,4,5; NULL when ended by the admin API
  sum REAL,                       -- credited sum in RUB, when known
  created_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER
);
CREATE UNIQUE INDEX operations_active_phone ON operations(phone) WHERE status = 'active';

CREATE TABLE multipart_groups (
  id INTEGER PRIMARY KEY,
  sim_key TEXT NOT NULL,
  sender TEXT NOT NULL,
  ref INTEGER NOT NULL,
  total INTEGER NOT NULL,
  first_part_at_ms INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('collecting','complete','incomplete')),
  message_id INTEGER REFERENCES messages(id),
  closed_at_ms INTEGER
);
CREATE INDEX multipart_groups_lookup ON multipart_groups(sim_key, sender, ref, total, state);
CREATE INDEX multipart_groups_collecting ON multipart_groups(first_part_at_ms) WHERE state = 'collecting';

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  sim_key TEXT NOT NULL,           -- iccid, or 'imsi:<imsi>', or 'port:<port>'
  port TEXT NOT NULL,
  phone TEXT,
  storage TEXT,
  storage_index INTEGER,
  raw_pdu TEXT,                    -- hex as the modem printed it, SMSC included
  raw_text TEXT,                   -- text mode: the fields as read, JSON
  dedupe_key TEXT NOT NULL UNIQUE,
  sender TEXT,
  sender_type TEXT,
  text TEXT,
  encoding TEXT,
  sc_timestamp TEXT,
  concat_ref INTEGER,
  concat_total INTEGER,
  concat_seq INTEGER,
  status TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT,
  error_offset INTEGER,
  operation_id INTEGER REFERENCES operations(id),
  multipart_group_id INTEGER REFERENCES multipart_groups(id),
  received_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX messages_status ON messages(status, id);
CREATE INDEX messages_group ON messages(multipart_group_id, concat_seq);

CREATE TABLE pushes (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL UNIQUE REFERENCES messages(id),
  operation_id INTEGER NOT NULL REFERENCES operations(id),
  body_json TEXT NOT NULL,         -- StoredPushBody: no key, no action
  state TEXT NOT NULL CHECK (state IN ('pending','delivered','rejected','expired','stopped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  next_attempt_at_ms INTEGER NOT NULL,
  lease_until_ms INTEGER,
  last_error TEXT,
  final_reason TEXT,
  delivered_at_ms INTEGER,
  ended_at_ms INTEGER
);
CREATE INDEX pushes_due ON pushes(next_attempt_at_ms) WHERE state = 'pending';

CREATE TABLE push_attempts (
  id INTEGER PRIMARY KEY,
  push_id INTEGER NOT NULL REFERENCES pushes(id),
  attempt INTEGER NOT NULL,
  started_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER NOT NULL,
  http_status INTEGER,
  error_name TEXT,
  response_snippet TEXT
);
CREATE INDEX push_attempts_push ON push_attempts(push_id, attempt);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`,
  postgres: `
CREATE TABLE sims (
  iccid TEXT PRIMARY KEY,
  imsi TEXT,
  phone TEXT,
  port TEXT,
  first_seen_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL
);

CREATE TABLE operations (
  id BIGSERIAL PRIMARY KEY,
  phone TEXT NOT NULL,
  service TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('admin','reseller')),
  status TEXT NOT NULL CHECK (status IN ('active','finished')),
  finish_status INTEGER,
  sum DOUBLE PRECISION,
  created_at_ms BIGINT NOT NULL,
  finished_at_ms BIGINT
);
CREATE UNIQUE INDEX operations_active_phone ON operations(phone) WHERE status = 'active';

CREATE TABLE multipart_groups (
  id BIGSERIAL PRIMARY KEY,
  sim_key TEXT NOT NULL,
  sender TEXT NOT NULL,
  ref INTEGER NOT NULL,
  total INTEGER NOT NULL,
  first_part_at_ms BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('collecting','complete','incomplete')),
  message_id BIGINT,
  closed_at_ms BIGINT
);
CREATE INDEX multipart_groups_lookup ON multipart_groups(sim_key, sender, ref, total, state);
CREATE INDEX multipart_groups_collecting ON multipart_groups(first_part_at_ms) WHERE state = 'collecting';

CREATE TABLE messages (
  id BIGSERIAL PRIMARY KEY,
  sim_key TEXT NOT NULL,
  port TEXT NOT NULL,
  phone TEXT,
  storage TEXT,
  storage_index INTEGER,
  raw_pdu TEXT,
  raw_text TEXT,
  dedupe_key TEXT NOT NULL UNIQUE,
  sender TEXT,
  sender_type TEXT,
  text TEXT,
  encoding TEXT,
  sc_timestamp TEXT,
  concat_ref INTEGER,
  concat_total INTEGER,
  concat_seq INTEGER,
  status TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT,
  error_offset INTEGER,
  operation_id BIGINT REFERENCES operations(id),
  multipart_group_id BIGINT REFERENCES multipart_groups(id),
  received_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX messages_status ON messages(status, id);
CREATE INDEX messages_group ON messages(multipart_group_id, concat_seq);
ALTER TABLE multipart_groups ADD FOREIGN KEY (message_id) REFERENCES messages(id);

CREATE TABLE pushes (
  id BIGSERIAL PRIMARY KEY,
  message_id BIGINT NOT NULL UNIQUE REFERENCES messages(id),
  operation_id BIGINT NOT NULL REFERENCES operations(id),
  body_json TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending','delivered','rejected','expired','stopped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at_ms BIGINT NOT NULL,
  next_attempt_at_ms BIGINT NOT NULL,
  lease_until_ms BIGINT,
  last_error TEXT,
  final_reason TEXT,
  delivered_at_ms BIGINT,
  ended_at_ms BIGINT
);
CREATE INDEX pushes_due ON pushes(next_attempt_at_ms) WHERE state = 'pending';

CREATE TABLE push_attempts (
  id BIGSERIAL PRIMARY KEY,
  push_id BIGINT NOT NULL REFERENCES pushes(id),
  attempt INTEGER NOT NULL,
  started_at_ms BIGINT NOT NULL,
  finished_at_ms BIGINT NOT NULL,
  http_status INTEGER,
  error_name TEXT,
  response_snippet TEXT
);
CREATE INDEX push_attempts_push ON push_attempts(push_id, attempt);

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
`,
};
