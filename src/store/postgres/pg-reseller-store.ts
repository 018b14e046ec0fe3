import type pg from 'pg';
import { GatewayError, isGatewayError } from '../../errors.js';
import { RENT_SERVICE, type RentListFilter, type RentTotals, type RentView } from '../rent-store.js';
import type {
  AvailabilitySnapshot,
  ClaimedNumber,
  ClaimRequest,
  EarningsRow,
  FinishOutcome,
  FinishRequest,
  FinishStatus,
  ListOperationsFilter,
  OperationView,
  ResellerStore,
  SimServiceRow,
  SimServiceState,
} from '../reseller-store.js';
import { inTransaction, type Sql, withConnection } from './pg-connection.js';
import { lockOperations } from './pg-operations.js';
import { expireRents, finishRent, listRents, openRent, rentTotals } from './pg-rent.js';

export interface PgResellerStoreOptions {
  /** Cancels (FINISH status 4) after which a (number, service) pair is retired; §5 says 4. */
  maxCancels?: number;
}

interface OperationRow {
  id: number;
  phone: string;
  service: string;
  source: 'admin' | 'reseller';
  status: 'active' | 'finished';
  finish_status: FinishStatus | null;
  sum: number | null;
}

/**
 * `ResellerStore` on the shared PostgreSQL store, same rules as the SQLite one. GET_NUMBER takes
 * the farm-wide operations advisory lock for its transaction, so two hosts answering at the same
 * moment never open two operations on one SIM: each free number goes to exactly one caller.
 */
export class PgResellerStore implements ResellerStore {
  readonly #pool: pg.Pool;
  readonly #maxCancels: number;

  constructor(pool: pg.Pool, options: PgResellerStoreOptions = {}) {
    this.#pool = pool;
    this.#maxCancels = options.maxCancels ?? 4;
  }

  availability(): Promise<AvailabilitySnapshot> {
    return this.#guard('availability', false, async (sql) => {
      const busy = await sql.rows<{ phone: string }>("SELECT phone FROM operations WHERE status = 'active'");
      const spent = await sql.rows<{ phone: string; service: string }>(
        "SELECT phone, service FROM sim_services WHERE state <> 'available' OR cancels >= $1",
        [this.#maxCancels],
      );
      const spentServices = new Map<string, Set<string>>();
      for (const { phone, service } of spent) {
        let set = spentServices.get(phone);
        if (!set) {
          set = new Set();
          spentServices.set(phone, set);
        }
        set.add(service);
      }
      return { busyPhones: new Set(busy.map((r) => r.phone)), spentServices };
    });
  }

  claimNumber(request: ClaimRequest): Promise<ClaimedNumber | null> {
    return this.#guard('claimNumber', true, async (sql) => {
      if (request.candidatePhones.length === 0) return null;
      await lockOperations(sql);
      // Least recently used first: never used, then the oldest last operation, then its id.
      const best = await sql.row<{ phone: string }>(
        `SELECT c.phone FROM unnest($1::text[]) AS c(phone)
         LEFT JOIN LATERAL (SELECT o.created_at_ms, o.id FROM operations o WHERE o.phone = c.phone
                            ORDER BY o.created_at_ms DESC, o.id DESC LIMIT 1) last ON true
         WHERE NOT EXISTS (SELECT 1 FROM operations a WHERE a.phone = c.phone AND a.status = 'active')
           AND NOT EXISTS (SELECT 1 FROM sim_services s WHERE s.phone = c.phone AND s.service = $2
                           AND (s.state <> 'available' OR s.cancels >= $3))
         ORDER BY last.created_at_ms ASC NULLS FIRST, last.id ASC NULLS FIRST, array_position($1::text[], c.phone)
         LIMIT 1`,
        [[...request.candidatePhones], request.service, this.#maxCancels],
      );
      if (!best) return null;
      const op = await sql.row<{ id: number }>(
        `INSERT INTO operations (phone, service, source, status, created_at_ms)
         VALUES ($1, $2, 'reseller', 'active', $3) RETURNING id`,
        [best.phone, request.rent ? RENT_SERVICE : request.service, request.nowMs],
      );
      if (!op) throw new GatewayError('STORE_FAILED', 'operation insert returned no id');
      await sql.run(
        'INSERT INTO reseller_operations (operation_id, country, operator, offered_sum) VALUES ($1, $2, $3, $4)',
        [op.id, request.country, request.operator, request.offeredSum],
      );
      if (request.rent) await openRent(sql, op.id, request.rent);
      return { operationId: op.id, phone: best.phone };
    });
  }

  finishActivation(request: FinishRequest): Promise<FinishOutcome> {
    return this.#guard('finishActivation', true, async (sql) => {
      const op = await sql.row<OperationRow>(
        'SELECT id, phone, service, source, status, finish_status, sum FROM operations WHERE id = $1 FOR UPDATE',
        [request.activationId],
      );
      if (!op) {
        await sql.run(
          'INSERT INTO unknown_finishes (activation_id, finish_status, sum, received_at_ms) VALUES ($1, $2, $3, $4)',
          [request.activationId, request.status, request.sum, request.nowMs],
        );
        return { kind: 'unknown' };
      }
      if (op.finish_status !== null) {
        return { kind: 'repeated', phone: op.phone, service: op.service, previousStatus: op.finish_status };
      }
      const offered = (
        await sql.row<{ offered_sum: number | null }>(
          'SELECT offered_sum FROM reseller_operations WHERE operation_id = $1',
          [op.id],
        )
      )?.offered_sum;
      const sum = request.sum ?? op.sum ?? (request.status === 3 ? (offered ?? null) : null);
      const wasActive = op.status === 'active';
      if (wasActive) {
        await sql.run(
          "UPDATE operations SET status = 'finished', finish_status = $1, sum = $2, finished_at_ms = $3 WHERE id = $4",
          [request.status, sum, request.nowMs, op.id],
        );
      } else {
        await sql.run('UPDATE operations SET finish_status = $1, sum = $2 WHERE id = $3', [
          request.status,
          sum,
          op.id,
        ]);
      }
      await sql.run(
        `INSERT INTO reseller_operations (operation_id, finish_sum, finish_status, finished_at_ms) VALUES ($1, $2, $3, $4)
         ON CONFLICT (operation_id) DO UPDATE SET finish_sum = EXCLUDED.finish_sum,
           finish_status = EXCLUDED.finish_status, finished_at_ms = EXCLUDED.finished_at_ms`,
        [op.id, request.sum, request.status, request.nowMs],
      );
      // A rent's verdict says nothing about selling the number for a service: it may be rented again.
      if (op.service === RENT_SERVICE) await finishRent(sql, op.id, request.sum, request.nowMs);
      else await this.#applyServiceVerdict(sql, op.phone, op.service, request.status, request.nowMs);
      return { kind: wasActive ? 'closed' : 'recorded', phone: op.phone, service: op.service };
    });
  }

  listOperations(filter: ListOperationsFilter = {}): Promise<OperationView[]> {
    return this.#guard('listOperations', false, async (sql) => {
      const where = filter.activeOnly ? "WHERE o.status = 'active'" : '';
      const rows = await sql.rows<Record<string, unknown>>(
        `${OPERATION_VIEW_SQL} ${where} ORDER BY o.id DESC LIMIT $1`,
        [filter.limit ?? 100],
      );
      return rows.map(toOperationView);
    });
  }

  earnings(): Promise<EarningsRow[]> {
    return this.#guard('earnings', false, (sql) =>
      sql.rows<EarningsRow>(`SELECT phone, service, COUNT(*) AS operations,
          COUNT(*) FILTER (WHERE status = 'active') AS active,
          COUNT(*) FILTER (WHERE finish_status = 3) AS sold,
          COUNT(*) FILTER (WHERE finish_status = 4) AS cancelled,
          COUNT(*) FILTER (WHERE finish_status = 5) AS refunded,
          COUNT(*) FILTER (WHERE finish_status = 1) AS "notOrdered",
          COALESCE(SUM(CASE WHEN finish_status = 3 THEN sum END), 0)::float8 AS earned
        FROM operations GROUP BY phone, service ORDER BY phone, service`),
    );
  }

  simServices(): Promise<SimServiceRow[]> {
    return this.#guard('simServices', false, (sql) =>
      sql.rows<SimServiceRow>(
        'SELECT phone, service, state, cancels FROM sim_services ORDER BY phone, service',
      ),
    );
  }

  rents(filter: RentListFilter = {}): Promise<RentView[]> {
    return this.#guard('rents', false, (sql) => listRents(sql, filter));
  }

  expireRents(nowMs: number, graceMs: number): Promise<number[]> {
    return this.#guard('expireRents', true, async (sql) => {
      await lockOperations(sql);
      return expireRents(sql, nowMs, graceMs);
    });
  }

  rentTotals(): Promise<RentTotals> {
    return this.#guard('rentTotals', false, (sql) => rentTotals(sql));
  }

  async #applyServiceVerdict(
    sql: Sql,
    phone: string,
    service: string,
    status: FinishStatus,
    nowMs: number,
  ): Promise<void> {
    if (status === 4) {
      await sql.run(
        `INSERT INTO sim_services (phone, service, state, cancels, updated_at_ms)
         VALUES ($1, $2, CASE WHEN 1 >= $4 THEN 'never' ELSE 'available' END, 1, $3)
         ON CONFLICT (phone, service) DO UPDATE SET cancels = sim_services.cancels + 1, updated_at_ms = $3,
           state = CASE WHEN sim_services.state = 'available' AND sim_services.cancels + 1 >= $4 THEN 'never'
                        ELSE sim_services.state END`,
        [phone, service, nowMs, this.#maxCancels],
      );
      return;
    }
    const state: SimServiceState = status === 1 ? 'never' : 'used';
    await sql.run(
      `INSERT INTO sim_services (phone, service, state, cancels, updated_at_ms) VALUES ($1, $2, $3, 0, $4)
       ON CONFLICT (phone, service) DO UPDATE SET state = $3, updated_at_ms = $4`,
      [phone, service, state, nowMs],
    );
  }

  async #guard<T>(operation: string, write: boolean, work: (sql: Sql) => Promise<T>): Promise<T> {
    try {
      return await (write ? inTransaction(this.#pool, work) : withConnection(this.#pool, work));
    } catch (err) {
      throw isGatewayError(err) && err.code !== 'STORE_FAILED'
        ? err
        : new GatewayError('STORE_RESELLER_FAILED', `reseller store ${operation} failed`, {
            cause: err,
            context: { operation },
          });
    }
  }
}

const OPERATION_VIEW_SQL = `SELECT o.id, o.phone, o.service, o.source, o.status, o.finish_status, o.sum,
  o.created_at_ms, o.finished_at_ms, r.offered_sum, r.country, r.operator
  FROM operations o LEFT JOIN reseller_operations r ON r.operation_id = o.id`;

function toOperationView(row: Record<string, unknown>): OperationView {
  return {
    id: row.id as number,
    phone: row.phone as string,
    service: row.service as string,
    source: row.source as OperationView['source'],
    status: row.status as OperationView['status'],
    finishStatus: (row.finish_status ?? null) as FinishStatus | null,
    sum: (row.sum ?? null) as number | null,
    offeredSum: (row.offered_sum ?? null) as number | null,
    country: (row.country ?? null) as string | null,
    operator: (row.operator ?? null) as string | null,
    createdAtMs: row.created_at_ms as number,
    finishedAtMs: (row.finished_at_ms ?? null) as number | null,
  };
}
