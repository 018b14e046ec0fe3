import type { DualMigration } from './types.js';

/**
 * An index on `messages(received_at_ms)`: the status page's start counts (store/sms-counts.ts)
 * read only today's rows, and without it each start scanned every message ever stored.
 */
export const migration007MessagesReceived: DualMigration = {
  version: 7,
  name: 'messages-received',
  sql: `
CREATE INDEX messages_received ON messages(received_at_ms);
`,
  postgres: `
CREATE INDEX messages_received ON messages(received_at_ms);
`,
};
