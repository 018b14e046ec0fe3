import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

/** Prepared statements, one per SQL text and connection (preparing costs more than running). */
const cache = new WeakMap<SqliteDatabase, Map<string, Statement>>();

export function prepared(db: SqliteDatabase, sql: string): Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** A listing's row limit: the caller's (default 100), made a whole number from 1 to 1000. */
export function listLimit(limit: number | undefined): number {
  return Math.min(1000, Math.max(1, Math.trunc(limit ?? 100)));
}

/** Runs `sql` and returns its first row, typed by the caller (rows are plain objects). */
export function getRow<T>(db: SqliteDatabase, sql: string, ...params: unknown[]): T | undefined {
  return prepared(db, sql).get(...params) as T | undefined;
}

export function allRows<T>(db: SqliteDatabase, sql: string, ...params: unknown[]): T[] {
  return prepared(db, sql).all(...params) as T[];
}

/** Runs a write; returns the rowid of an INSERT and the number of rows changed. */
export function runSql(
  db: SqliteDatabase,
  sql: string,
  ...params: unknown[]
): { id: number; changes: number } {
  const info = prepared(db, sql).run(...params);
  return { id: Number(info.lastInsertRowid), changes: info.changes };
}

export function addToCounter(db: SqliteDatabase, name: string, by: number): void {
  runSql(
    db,
    'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value',
    name,
    by,
  );
}
