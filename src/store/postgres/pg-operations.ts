import { GatewayError } from '../../errors.js';
import type { CreateOperationInput, EndOperationInput, OperationRecord } from '../repository.js';
import type { Sql } from './pg-connection.js';
import { LOCK_OPERATIONS, type OperationRow, toOperation } from './pg-rows.js';

export async function selectOperation(sql: Sql, id: number): Promise<OperationRecord | null> {
  const row = await sql.row<OperationRow>('SELECT * FROM operations WHERE id = $1', [id]);
  return row ? toOperation(row) : null;
}

export async function selectOperations(
  sql: Sql,
  activeOnly: boolean,
  limit: number,
): Promise<OperationRecord[]> {
  const text = activeOnly
    ? "SELECT * FROM operations WHERE status = 'active' ORDER BY id DESC LIMIT $1"
    : 'SELECT * FROM operations ORDER BY id DESC LIMIT $1';
  return (await sql.rows<OperationRow>(text, [limit])).map(toOperation);
}

/** Serialises every change of which operation is active, farm-wide (GET_NUMBER takes it too). */
export async function lockOperations(sql: Sql): Promise<void> {
  await sql.row('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_OPERATIONS]);
}

/**
 * Same rules as the SQLite store: ends the phone's previous active operation; an explicit id
 * ever used is `STORE_OPERATION_ID_USED`; without one the sequence issues an id above every id
 * ever stored (an explicit id moves the sequence past it).
 */
export async function insertOperation(
  sql: Sql,
  input: CreateOperationInput,
  nowMs: number,
): Promise<OperationRecord> {
  await lockOperations(sql);
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
    if (await selectOperation(sql, input.id)) {
      throw new GatewayError('STORE_OPERATION_ID_USED', `operation id ${input.id} is already used`, {
        context: { operationId: input.id },
      });
    }
  }
  await sql.run(
    "UPDATE operations SET status = 'finished', finished_at_ms = $1 WHERE phone = $2 AND status = 'active'",
    [nowMs, input.phone],
  );
  const row = await sql.row<OperationRow>(
    `INSERT INTO operations (id, phone, service, source, status, sum, created_at_ms)
     VALUES (COALESCE($1, nextval('operations_id_seq')), $2, $3, $4, 'active', $5, $6) RETURNING *`,
    [input.id ?? null, input.phone, input.service, input.source, input.sum ?? null, nowMs],
  );
  if (!row) throw new GatewayError('STORE_FAILED', 'operation insert returned no row');
  if (input.id !== undefined) {
    await sql.row(
      "SELECT setval('operations_id_seq', GREATEST($1::bigint, (SELECT last_value FROM operations_id_seq)))",
      [input.id],
    );
  }
  return toOperation(row);
}

export async function finishOperation(
  sql: Sql,
  id: number,
  input: EndOperationInput,
  nowMs: number,
): Promise<OperationRecord> {
  const existing = await sql.row<OperationRow>('SELECT * FROM operations WHERE id = $1 FOR UPDATE', [id]);
  if (!existing) {
    throw new GatewayError('STORE_OPERATION_NOT_FOUND', `operation ${id} not found`, {
      context: { operationId: id },
    });
  }
  if (existing.status === 'finished') return toOperation(existing);
  const row = await sql.row<OperationRow>(
    `UPDATE operations SET status = 'finished', finished_at_ms = $1, finish_status = $2, sum = COALESCE($3, sum)
     WHERE id = $4 RETURNING *`,
    [nowMs, input.finishStatus ?? null, input.sum ?? null, id],
  );
  return toOperation(row ?? existing);
}
