import type { DualMigration } from './types.js';

/**
 * What every part of one concatenated SMS shares (TS 23.040 §9.2.3.24.1/.8, TS 23.038 §4),
 * recorded on its group so that a reused reference does not merge two messages:
 *
 * - `encoding`: the alphabet of the TP-DCS (`gsm7`, `ucs2`, `8bit`);
 * - `ref_bits`: the width of the reference, 8 (IE 0x00) or 16 (IE 0x08);
 * - `sc_time_ms`: the first part's TP-SCTS in epoch ms (an SMSC stamps the parts of one message
 *   within seconds of each other).
 *
 * NULL means "not known" (groups stored before this version) and matches any part. Groups
 * already stored get their encoding and time stamp from their first part; the width was never
 * stored and stays NULL.
 */
export const migration003MultipartIdentity: DualMigration = {
  version: 3,
  name: 'multipart-identity',
  sql: `
ALTER TABLE multipart_groups ADD COLUMN encoding TEXT;
ALTER TABLE multipart_groups ADD COLUMN ref_bits INTEGER CHECK (ref_bits IS NULL OR ref_bits IN (8, 16));
ALTER TABLE multipart_groups ADD COLUMN sc_time_ms INTEGER;

UPDATE multipart_groups SET
  encoding = (SELECT m.encoding FROM messages m
              WHERE m.multipart_group_id = multipart_groups.id AND m.concat_seq IS NOT NULL
              ORDER BY m.id LIMIT 1),
  sc_time_ms = (SELECT CAST(strftime('%s', m.sc_timestamp) AS INTEGER) * 1000 FROM messages m
                WHERE m.multipart_group_id = multipart_groups.id AND m.concat_seq IS NOT NULL
                ORDER BY m.id LIMIT 1);
`,
  // No PostgreSQL store predates this version, so there are no stored groups to fill.
  postgres: `
ALTER TABLE multipart_groups ADD COLUMN encoding TEXT;
ALTER TABLE multipart_groups ADD COLUMN ref_bits INTEGER CHECK (ref_bits IS NULL OR ref_bits IN (8, 16));
ALTER TABLE multipart_groups ADD COLUMN sc_time_ms BIGINT;
`,
};
