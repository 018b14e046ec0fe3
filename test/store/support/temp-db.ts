import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, runMigrations, type SqliteDatabase } from '../../../src/store/database.js';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';
import { SqliteRepository } from '../../../src/store/sqlite-repository.js';

/** A temporary directory holding one database file; `cleanup` removes it. */
export interface TempStore {
  path: string;
  open(): { db: SqliteDatabase; repo: SqliteRepository };
  cleanup(): void;
}

/** Real SQLite in a temp file, migrated, so a test can close and reopen it like a restart. */
export function tempStore(clock: () => number = () => 0): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-store-'));
  const path = join(dir, 'nested', 'simbridge.db');
  const opened: SqliteDatabase[] = [];
  return {
    path,
    open() {
      const db = openDatabase(path);
      runMigrations(db, MIGRATIONS);
      opened.push(db);
      return { db, repo: new SqliteRepository(db, { clock }) };
    },
    cleanup() {
      for (const db of opened) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A settable clock for tests: `clock()` reads it, `clock.set()`/`clock.advance()` move it. */
export interface FakeClock {
  (): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function fakeClock(startMs = 1_700_000_000_000): FakeClock {
  let now = startMs;
  const clock = (() => now) as FakeClock;
  clock.set = (ms) => {
    now = ms;
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}
