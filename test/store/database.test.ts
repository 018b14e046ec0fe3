import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { type Migration, openDatabase, runMigrations, schemaVersion } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { type TempStore, tempStore } from './support/temp-db.js';

let store: TempStore;
afterEach(() => store?.cleanup());

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isGatewayError(err) ? err.code : 'not-a-gateway-error';
  }
  return undefined;
}

describe('openDatabase', () => {
  it('creates the directory and sets the durability pragmas a power cut needs', () => {
    store = tempStore();
    const { db } = store.open();
    expect(existsSync(store.path)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 = FULL: the WAL is synced at every commit, so a committed SMS survives power loss.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it("bounds the page cache to 1 MiB instead of the driver's 16 MB, or to what the caller asks", () => {
    const fresh = openDatabase(':memory:');
    // Negative: KiB. better-sqlite3's own build default is -16000.
    expect(fresh.pragma('cache_size', { simple: true })).toBe(-1024);
    fresh.close();
    const small = openDatabase(':memory:', { cacheKiB: 256 });
    expect(small.pragma('cache_size', { simple: true })).toBe(-256);
    small.close();
  });

  it('opens an in-memory database without touching the file system', () => {
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });
});

describe('runMigrations', () => {
  const one: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' };
  const two: Migration = { version: 2, name: 'two', sql: 'CREATE TABLE b (y INTEGER);' };

  it('applies each version once and is a no-op on the next start', () => {
    store = tempStore();
    const { db } = store.open();
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(runMigrations(db, MIGRATIONS)).toEqual([]);
    db.close();
    const again = store.open();
    expect(schemaVersion(again.db)).toBe(MIGRATIONS.length);
  });

  it('applies only the versions above the recorded one', () => {
    const db = openDatabase(':memory:');
    expect(runMigrations(db, [one])).toEqual([1]);
    expect(runMigrations(db, [one, two])).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    db.close();
  });

  it('rolls back a failing migration whole, leaving the previous version', () => {
    const db = openDatabase(':memory:');
    const broken: Migration = {
      version: 2,
      name: 'broken',
      sql: 'CREATE TABLE c (z INTEGER); SELECT nope FROM nowhere;',
    };
    expect(codeOf(() => runMigrations(db, [one, broken]))).toBe('STORE_MIGRATION_FAILED');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined();
    db.close();
  });

  it('rejects gaps in the list and a database newer than the build', () => {
    const db = openDatabase(':memory:');
    expect(codeOf(() => runMigrations(db, [two]))).toBe('STORE_MIGRATIONS_INVALID');
    runMigrations(db, [one, two]);
    expect(codeOf(() => runMigrations(db, [one]))).toBe('STORE_SCHEMA_TOO_NEW');
    db.close();
  });

  it('creates the operations table exactly as the reseller endpoints expect', () => {
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS);
    const columns = db.prepare('PRAGMA table_info(operations)').all() as Array<{ name: string }>;
    expect(columns.map((c) => c.name)).toEqual([
      'id',
      'phone',
      'service',
      'source',
      'status',
      'finish_status',
      'sum',
      'created_at_ms',
      'finished_at_ms',
    ]);
    const insert = db.prepare(
      "INSERT INTO operations (phone, service, source, status, created_at_ms) VALUES (?, 'vk', 'admin', 'active', 1)",
    );
    insert.run('79000000001');
    expect(() => insert.run('79000000001')).toThrow(/UNIQUE/);
    db.close();
  });
});
