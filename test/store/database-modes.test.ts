import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/store/database.js';

const mode = (path: string) => statSync(path).mode & 0o777;

/** The database holds every SMS (OTPs included): no other local user may read it. */
describe('openDatabase file modes', () => {
  let root: string;
  let db: SqliteDatabase | null = null;
  let savedUmask: number;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'simbridge-modes-'));
    // The usual login umask, under which files come out world-readable by default.
    savedUmask = process.umask(0o022);
  });
  afterEach(() => {
    db?.close();
    db = null;
    process.umask(savedUmask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the folder 0700 and the database, its WAL and shared memory 0600', () => {
    const dir = join(root, 'data', 'nested');
    const path = join(dir, 'simbridge.db');
    db = openDatabase(path);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    expect(mode(join(root, 'data'))).toBe(0o700);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(`${path}-shm`)).toBe(0o600);
  });

  it('leaves the mode of an existing folder alone (the operator chose it)', () => {
    const path = join(root, 'simbridge.db');
    db = openDatabase(path);
    expect(mode(root)).toBe(0o700); // mkdtemp's own mode, unchanged
    expect(mode(path)).toBe(0o600);
  });
});
