import type { Database, Statement } from 'better-sqlite3';
import { GatewayError, isGatewayError } from '../errors.js';
import { RENT_SERVICE, type RentListFilter, type RentTotals, type RentView } from './rent-store.js';
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
} from './reseller-store.js';
import { SqliteRentRows } from './sqlite-rent.js';
import { WriteBatcher } from './write-batcher.js';

export interface SqliteResellerStoreOptions {
  /** Cancels (FINISH status 4) after which a (number, service) pair is retired; §5 says 4. */
  maxCancels?: number;
}

const DEFAULT_MAX_CANCELS = 4;

interface OperationRow {
  id: number;
  phone: string;
  service: string;
  source: 'admin' | 'reseller';
  status: 'active' | 'finished';
  finish_status: FinishStatus | null;
  sum: number | null;
}

interface LastUseRow {
  created_at_ms: number;
  id: number;
}

/**
 * `ResellerStore` on better-sqlite3 over the shared `operations` table (migration 001) and the
 * reseller tables (migration 002). Every claim and finish runs synchronously, with no await
 * inside, in its own savepoint of a `BEGIN IMMEDIATE` transaction that the calls of one event-loop
 * turn share, so two GET_NUMBER calls can never take the same SIM, not even from two connections,
 * and a burst of calls costs one commit.
 */
export class SqliteResellerStore implements ResellerStore {
  readonly #maxCancels: number;
  readonly #stmts: ReturnType<typeof prepare>;
  readonly #writes: WriteBatcher;
  readonly #rents: SqliteRentRows;

  constructor(db: Database, options: SqliteResellerStoreOptions = {}) {
    this.#maxCancels = options.maxCancels ?? DEFAULT_MAX_CANCELS;
    try {
      this.#stmts = prepare(db);
      this.#rents = new SqliteRentRows(db);
    } catch (err) {
      throw new GatewayError('STORE_RESELLER_SCHEMA', 'reseller tables missing: run migrations 001 to 005', {
        cause: err,
      });
    }
    this.#writes = new WriteBatcher(db, { immediate: true });
  }

  async availability(): Promise<AvailabilitySnapshot> {
    return this.#guard('availability', () => {
      const busyPhones = new Set(this.#stmts.activePhones.all() as string[]);
      const spentServices = new Map<string, Set<string>>();
      const rows = this.#stmts.spentPairs.all(this.#maxCancels) as Array<{ phone: string; service: string }>;
      for (const { phone, service } of rows) {
        let set = spentServices.get(phone);
        if (!set) {
          set = new Set();
          spentServices.set(phone, set);
        }
        set.add(service);
      }
      return { busyPhones, spentServices };
    });
  }

  async claimNumber(request: ClaimRequest): Promise<ClaimedNumber | null> {
    return this.#write('claimNumber', () => this.#claimSync(request));
  }

  async finishActivation(request: FinishRequest): Promise<FinishOutcome> {
    return this.#write('finishActivation', () => this.#finishSync(request));
  }

  async listOperations(filter: ListOperationsFilter = {}): Promise<OperationView[]> {
    return this.#guard('listOperations', () => {
      const stmt = filter.activeOnly ? this.#stmts.listActive : this.#stmts.listAll;
      const rows = stmt.all(filter.limit ?? 100) as Array<Record<string, unknown>>;
      return rows.map(toOperationView);
    });
  }

  async earnings(): Promise<EarningsRow[]> {
    return this.#guard('earnings', () => this.#stmts.earnings.all() as EarningsRow[]);
  }

  async simServices(): Promise<SimServiceRow[]> {
    return this.#guard('simServices', () => this.#stmts.simServices.all() as SimServiceRow[]);
  }

  async rents(filter: RentListFilter = {}): Promise<RentView[]> {
    return this.#guard('rents', () => this.#rents.list(filter));
  }

  async expireRents(nowMs: number, graceMs: number): Promise<number[]> {
    return this.#write('expireRents', () => this.#rents.expire(nowMs, graceMs));
  }

  async rentTotals(): Promise<RentTotals> {
    return this.#guard('rentTotals', () => this.#rents.totals());
  }

  #claimSync(request: ClaimRequest): ClaimedNumber | null {
    let best: { phone: string; lastMs: number; lastId: number } | null = null;
    for (const phone of request.candidatePhones) {
      if (this.#stmts.isBusy.get(phone) !== undefined) continue;
      const pair = this.#stmts.serviceState.get(phone, request.service) as
        | { state: SimServiceState; cancels: number }
        | undefined;
      if (pair && (pair.state !== 'available' || pair.cancels >= this.#maxCancels)) continue;
      const last = this.#stmts.lastUse.get(phone) as LastUseRow | undefined;
      // Never used sorts first; then the oldest last operation; the id breaks same-ms ties.
      const lastMs = last?.created_at_ms ?? Number.NEGATIVE_INFINITY;
      const lastId = last?.id ?? 0;
      if (!best || lastMs < best.lastMs || (lastMs === best.lastMs && lastId < best.lastId)) {
        best = { phone, lastMs, lastId };
      }
    }
    if (!best) return null;
    const service = request.rent ? RENT_SERVICE : request.service;
    const info = this.#stmts.insertOperation.run(best.phone, service, request.nowMs);
    const operationId = Number(info.lastInsertRowid);
    this.#stmts.insertResellerOperation.run(
      operationId,
      request.country,
      request.operator,
      request.offeredSum,
    );
    if (request.rent) this.#rents.open(operationId, request.rent);
    return { operationId, phone: best.phone };
  }

  #finishSync(request: FinishRequest): FinishOutcome {
    const op = this.#stmts.operationById.get(request.activationId) as OperationRow | undefined;
    if (!op) {
      this.#stmts.insertUnknownFinish.run(request.activationId, request.status, request.sum, request.nowMs);
      return { kind: 'unknown' };
    }
    if (op.finish_status !== null) {
      return { kind: 'repeated', phone: op.phone, service: op.service, previousStatus: op.finish_status };
    }
    const offered = this.#stmts.offeredSum.get(op.id) as number | null | undefined;
    // The credited sum: what FINISH says, else what the operation already had (the admin API may
    // set one), else, for a sale, what GET_NUMBER offered.
    const sum = request.sum ?? op.sum ?? (request.status === 3 ? (offered ?? null) : null);
    const wasActive = op.status === 'active';
    if (wasActive) {
      this.#stmts.closeOperation.run(request.status, sum, request.nowMs, op.id);
    } else {
      this.#stmts.recordVerdict.run(request.status, sum, op.id);
    }
    this.#stmts.upsertResellerFinish.run(op.id, request.sum, request.status, request.nowMs);
    // A rent's verdict says nothing about selling the number for a service: it may be rented again.
    if (op.service === RENT_SERVICE) this.#rents.finish(op.id, request.sum, request.nowMs);
    else this.#applyServiceVerdict(op.phone, op.service, request.status, request.nowMs);
    return { kind: wasActive ? 'closed' : 'recorded', phone: op.phone, service: op.service };
  }

  #applyServiceVerdict(phone: string, service: string, status: FinishStatus, nowMs: number): void {
    if (status === 4) {
      this.#stmts.addCancel.run({ phone, service, nowMs, maxCancels: this.#maxCancels });
      return;
    }
    // 3 sold and 5 refunded: used for this service; 1 "not for this service": never again.
    const state: SimServiceState = status === 1 ? 'never' : 'used';
    this.#stmts.setState.run({ phone, service, state, nowMs });
  }

  /**
   * Claims and finishes that arrive together share one `BEGIN IMMEDIATE` transaction, each in its
   * own savepoint: one commit (one fsync under `synchronous=FULL`) for a burst instead of one per
   * call, which would block the event loop once per call and queue every other answer behind it.
   * Each promise resolves only after the commit.
   */
  async #write<T>(operation: string, work: () => T): Promise<T> {
    try {
      return await this.#writes.run(work);
    } catch (err) {
      throw isGatewayError(err) && err.code !== 'STORE_FAILED'
        ? err
        : new GatewayError('STORE_RESELLER_FAILED', `reseller store ${operation} failed`, {
            cause: err,
            context: { operation },
          });
    }
  }

  #guard<T>(operation: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('STORE_RESELLER_FAILED', `reseller store ${operation} failed`, {
        cause: err,
        context: { operation },
      });
    }
  }
}

function prepare(db: Database) {
  const s = (sql: string): Statement => db.prepare(sql);
  return {
    activePhones: s(`SELECT phone FROM operations WHERE status = 'active'`).pluck(),
    spentPairs: s(`SELECT phone, service FROM sim_services WHERE state <> 'available' OR cancels >= ?`),
    isBusy: s(`SELECT 1 FROM operations WHERE phone = ? AND status = 'active'`),
    serviceState: s(`SELECT state, cancels FROM sim_services WHERE phone = ? AND service = ?`),
    lastUse: s(
      `SELECT created_at_ms, id FROM operations WHERE phone = ? ORDER BY created_at_ms DESC, id DESC LIMIT 1`,
    ),
    insertOperation: s(
      `INSERT INTO operations (phone, service, source, status, created_at_ms) VALUES (?, ?, 'reseller', 'active', ?)`,
    ),
    insertResellerOperation: s(
      `INSERT INTO reseller_operations (operation_id, country, operator, offered_sum) VALUES (?, ?, ?, ?)`,
    ),
    operationById: s(
      `SELECT id, phone, service, source, status, finish_status, sum FROM operations WHERE id = ?`,
    ),
    offeredSum: s(`SELECT offered_sum FROM reseller_operations WHERE operation_id = ?`).pluck(),
    closeOperation: s(
      `UPDATE operations SET status = 'finished', finish_status = ?, sum = ?, finished_at_ms = ? WHERE id = ?`,
    ),
    recordVerdict: s(`UPDATE operations SET finish_status = ?, sum = ? WHERE id = ?`),
    upsertResellerFinish: s(
      `INSERT INTO reseller_operations (operation_id, finish_sum, finish_status, finished_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT(operation_id) DO UPDATE SET finish_sum = excluded.finish_sum,
         finish_status = excluded.finish_status, finished_at_ms = excluded.finished_at_ms`,
    ),
    insertUnknownFinish: s(
      `INSERT INTO unknown_finishes (activation_id, finish_status, sum, received_at_ms) VALUES (?, ?, ?, ?)`,
    ),
    addCancel: s(
      `INSERT INTO sim_services (phone, service, state, cancels, updated_at_ms) VALUES (@phone, @service, CASE WHEN 1 >= @maxCancels THEN 'never' ELSE 'available' END, 1, @nowMs)
       ON CONFLICT(phone, service) DO UPDATE SET cancels = cancels + 1, updated_at_ms = @nowMs,
         state = CASE WHEN state = 'available' AND cancels + 1 >= @maxCancels THEN 'never' ELSE state END`,
    ),
    setState: s(
      `INSERT INTO sim_services (phone, service, state, cancels, updated_at_ms) VALUES (@phone, @service, @state, 0, @nowMs)
       ON CONFLICT(phone, service) DO UPDATE SET state = @state, updated_at_ms = @nowMs`,
    ),
    listActive: s(`${OPERATION_VIEW_SQL} WHERE o.status = 'active' ORDER BY o.id DESC LIMIT ?`),
    listAll: s(`${OPERATION_VIEW_SQL} ORDER BY o.id DESC LIMIT ?`),
    earnings: s(`SELECT phone, service, COUNT(*) AS operations,
        COALESCE(SUM(status = 'active'), 0) AS active,
        COALESCE(SUM(finish_status = 3), 0) AS sold, COALESCE(SUM(finish_status = 4), 0) AS cancelled,
        COALESCE(SUM(finish_status = 5), 0) AS refunded, COALESCE(SUM(finish_status = 1), 0) AS notOrdered,
        COALESCE(SUM(CASE WHEN finish_status = 3 THEN sum END), 0) AS earned
      FROM operations GROUP BY phone, service ORDER BY phone, service`),
    simServices: s(`SELECT phone, service, state, cancels FROM sim_services ORDER BY phone, service`),
  };
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
