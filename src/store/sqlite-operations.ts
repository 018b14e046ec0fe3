import { GatewayError } from '../errors.js';
import type { SqliteDatabase } from './database.js';
import type {
  CreateOperationInput,
  EndOperationInput,
  OperationRecord,
  OperationSource,
} from './repository.js';
import { allRows, getRow, runSql } from './sqlite-rows.js';

interface OperationRow {
  id: number;
  phone: string;
  service: string;
  source: OperationSource;
  status: 'active' | 'finished';
  finish_status: number | null;
  sum: number | null;
  created_at_ms: number;
  finished_at_ms: number | null;
}

export function toOperation(row: OperationRow): OperationRecord {
  return {
    id: row.id,
    phone: row.phone,
    service: row.service,
    source: row.source,
    status: row.status,
    finishStatus: row.finish_status,
    sum: row.sum,
    createdAtMs: row.created_at_ms,
    finishedAtMs: row.finished_at_ms,
  };
}

export function selectOperation(db: SqliteDatabase, id: number): OperationRecord | null {
  const row = getRow<OperationRow>(db, 'SELECT * FROM operations WHERE id = ?', id);
  return row ? toOperation(row) : null;
}

export function selectActiveOperation(db: SqliteDatabase, phone: string): OperationRecord | null {
  const row = getRow<OperationRow>(
    db,
    "SELECT * FROM operations WHERE phone = ? AND status = 'active'",
    phone,
  );
  return row ? toOperation(row) : null;
}

export function selectOperations(db: SqliteDatabase, activeOnly: boolean, limit: number): OperationRecord[] {
  const sql = activeOnly
    ? "SELECT * FROM operations WHERE status = 'active' ORDER BY id DESC LIMIT ?"
    : 'SELECT * FROM operations ORDER BY id DESC LIMIT ?';
  return allRows<OperationRow>(db, sql, limit).map(toOperation);
}

/**
 * Makes a new active operation for `phone`, ending the phone's previous active one (CONTRACT.md
 * §3 `POST /api/operations`). With an explicit id that was ever used: `STORE_OPERATION_ID_USED`.
 * Without one, AUTOINCREMENT issues an id above every id ever stored, explicit ones included,
 * and never reuses one after a restart.
 */
export function insertOperation(
  db: SqliteDatabase,
  input: CreateOperationInput,
  nowMs: number,
): OperationRecord {
  if (input.id !== undefined) {
    if (!Number.isSafeInteger(input.id) || input.id < 1) {
      throw new GatewayError(
        'STORE_OPERATION_ID_INVALID',
        `operation id must be an integer >= 1, got ${input.id}`,
        {
          context: { operationId: input.id },
        },
      );
    }
    if (selectOperation(db, input.id)) {
      throw new GatewayError('STORE_OPERATION_ID_USED', `operation id ${input.id} is already used`, {
        context: { operationId: input.id },
      });
    }
  }
  runSql(
    db,
    "UPDATE operations SET status = 'finished', finished_at_ms = ? WHERE phone = ? AND status = 'active'",
    nowMs,
    input.phone,
  );
  const { id } = runSql(
    db,
    `INSERT INTO operations (id, phone, service, source, status, sum, created_at_ms)
     VALUES (?, ?, ?, ?, 'active', ?, ?)`,
    input.id ?? null,
    input.phone,
    input.service,
    input.source,
    input.sum ?? null,
    nowMs,
  );
  const created = selectOperation(db, id);
  if (!created) throw new GatewayError('STORE_FAILED', `operation ${id} vanished after insert`);
  return created;
}

/**
 * Finishes an operation. Ending one that is already finished changes nothing and returns it
 * (FINISH_ACTIVATION is retried by Onlinesim). Unknown id: `STORE_OPERATION_NOT_FOUND`.
 */
export function finishOperation(
  db: SqliteDatabase,
  id: number,
  input: EndOperationInput,
  nowMs: number,
): OperationRecord {
  const existing = selectOperation(db, id);
  if (!existing) {
    throw new GatewayError('STORE_OPERATION_NOT_FOUND', `operation ${id} not found`, {
      context: { operationId: id },
    });
  }
  if (existing.status === 'finished') return existing;
  runSql(
    db,
    `UPDATE operations SET status = 'finished', finished_at_ms = ?, finish_status = ?, sum = COALESCE(?, sum)
     WHERE id = ?`,
    nowMs,
    input.finishStatus ?? null,
    input.sum ?? null,
    id,
  );
  return selectOperation(db, id) ?? existing;
}
