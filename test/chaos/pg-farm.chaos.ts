/**
 * The farm on three hosts sharing PostgreSQL (test/integration/farm-postgres.test.ts) with the
 * database down for a full 30 s mid-stream (SIMBRIDGE_PG_OUTAGE_MS; `npm test` uses 8 s).
 */
process.env.SIMBRIDGE_PG_OUTAGE_MS ??= '30000';
await import('../integration/farm-postgres.test.js');
