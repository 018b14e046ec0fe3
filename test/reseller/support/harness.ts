import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveSim, LiveSims } from '../../../src/reseller/live-sims.js';
import { openDatabase, runMigrations, type SqliteDatabase } from '../../../src/store/database.js';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';

export const API_KEY = 'test-partner-key-0123456789';

/** A migrated database; `:memory:` unless a file path is given. */
export function openMigratedDb(path = ':memory:'): SqliteDatabase {
  const db = openDatabase(path);
  runMigrations(db, MIGRATIONS);
  return db;
}

/** A temporary directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-reseller-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `count` live SIMs 7900000000<i> in russia, operators alternating mts/beeline unless overridden. */
export function makeSims(count: number, overrides: Partial<LiveSim> = {}, firstIndex = 0): LiveSim[] {
  return Array.from({ length: count }, (_, offset) => {
    const i = firstIndex + offset;
    return {
      phone: `7900${String(i).padStart(7, '0')}`,
      country: 'russia',
      operator: i % 2 === 0 ? 'mts' : 'beeline',
      services: ['vk', 'instagram'],
      online: true,
      registered: true,
      ...overrides,
    };
  });
}

/** A LiveSims over an array the test may change between calls. */
export function liveSimsOf(sims: LiveSim[]): LiveSims {
  return { liveSims: () => sims };
}

/** Inserts an operation as the admin API does (explicit id from Onlinesim). */
export function insertAdminOperation(
  db: SqliteDatabase,
  id: number,
  phone: string,
  service: string,
  nowMs = 1,
): void {
  db.prepare(
    `INSERT INTO operations (id, phone, service, source, status, created_at_ms) VALUES (?, ?, ?, 'admin', 'active', ?)`,
  ).run(id, phone, service, nowMs);
}

/** Ends an operation as the admin API does (no verdict). */
export function endAdminOperation(db: SqliteDatabase, id: number, nowMs = 2): void {
  db.prepare(`UPDATE operations SET status = 'finished', finished_at_ms = ? WHERE id = ?`).run(nowMs, id);
}
