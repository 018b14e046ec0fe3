import type pg from 'pg';
import type { PendingPush, PushAttemptRecord, PushLease } from '../../push/types.js';
import type {
  AssembleParts,
  BridgeRepository,
  CollectingGroup,
  CreateOperationInput,
  EndOperationInput,
  GroupCloseResult,
  IngestInput,
  IngestResult,
  ListMessagesQuery,
  MessageView,
  OperationRecord,
  RouteDecision,
  StoreStats,
} from '../repository.js';
import { inTransaction, isConnectionFailure, type Sql, withConnection } from './pg-connection.js';
import { ingestMessage, lockSim } from './pg-ingest.js';
import { selectMessage, selectMessages, selectStats } from './pg-messages.js';
import { closeIncompleteGroup, selectOverdueGroups } from './pg-multipart.js';
import { finishOperation, insertOperation, selectOperation, selectOperations } from './pg-operations.js';
import {
  claimDuePushes,
  leaseQueuedPush,
  markDelivered,
  markEnded,
  markRejected,
  markRetry,
  releaseHeldLeases,
  releaseOwnLeases,
  selectNextDueAtMs,
} from './pg-outbox.js';
import { addToCounter, listLimit, selectActiveOperation } from './pg-rows.js';

export interface PgRepositoryOptions {
  /** This host's name (`node.name`): the owner of the leases it takes. */
  node: string;
  /** A host unheard for this long is presumed dead (`node.staleAfterMs`). */
  staleAfterMs: number;
  clock?: () => number;
  /**
   * How long recording a push attempt waits for an unreachable server before giving up. The
   * answer is already in hand: giving up early would leave the lease to end and the push to be
   * sent again. Default 10 min.
   */
  recordPatienceMs?: number;
  /** Pause between tries while the server is unreachable. Default 250 ms. */
  retryIntervalMs?: number;
}

/**
 * `BridgeRepository` over a PostgreSQL pool shared by several hosts. Each write is one
 * transaction and resolves after its COMMIT; the SIM's advisory lock serialises ingests of one
 * SIM across hosts, and pushes are leased to one host at a time (pg-outbox.ts).
 */
export class PgRepository implements BridgeRepository {
  readonly #pool: pg.Pool;
  readonly #node: string;
  readonly #staleAfterMs: number;
  readonly #clock: () => number;
  readonly #recordPatienceMs: number;
  readonly #retryIntervalMs: number;
  /** Since when every store call succeeded (null right after a failure to reach the server). */
  #reachableSinceMs: number | null = null;
  #closed = false;

  constructor(pool: pg.Pool, options: PgRepositoryOptions) {
    this.#pool = pool;
    this.#node = options.node;
    this.#staleAfterMs = options.staleAfterMs;
    this.#clock = options.clock ?? Date.now;
    this.#recordPatienceMs = options.recordPatienceMs ?? 600_000;
    this.#retryIntervalMs = options.retryIntervalMs ?? 250;
  }

  get pool(): pg.Pool {
    return this.#pool;
  }

  get node(): string {
    return this.#node;
  }

  ingest(input: IngestInput, nowMs: number, lease?: PushLease): Promise<IngestResult> {
    return this.#write(async (sql) => {
      const written = await ingestMessage(sql, input, nowMs);
      return this.#withLeasedPush(sql, written, lease);
    });
  }

  overdueGroups(cutoffMs: number): Promise<CollectingGroup[]> {
    return this.#read((sql) => selectOverdueGroups(sql, cutoffMs));
  }

  closeGroupIncomplete(
    groupId: number,
    route: RouteDecision,
    assemble: AssembleParts,
    nowMs: number,
    lease?: PushLease,
  ): Promise<GroupCloseResult> {
    return this.#write(async (sql) => {
      const group = await sql.row<{ sim_key: string }>('SELECT sim_key FROM multipart_groups WHERE id = $1', [
        groupId,
      ]);
      if (group) await lockSim(sql, group.sim_key);
      const closed = await closeIncompleteGroup(sql, groupId, route, assemble, nowMs);
      return this.#withLeasedPush(sql, closed, lease);
    });
  }

  createOperation(input: CreateOperationInput): Promise<OperationRecord> {
    return this.#write((sql) => insertOperation(sql, input, input.nowMs ?? this.#clock()));
  }

  endOperation(id: number, input: EndOperationInput = {}): Promise<OperationRecord> {
    return this.#write((sql) => finishOperation(sql, id, input, input.nowMs ?? this.#clock()));
  }

  getOperation(id: number): Promise<OperationRecord | null> {
    return this.#read((sql) => selectOperation(sql, id));
  }

  activeOperationForPhone(phone: string): Promise<OperationRecord | null> {
    return this.#read((sql) => selectActiveOperation(sql, phone));
  }

  listOperations(query: { activeOnly?: boolean; limit?: number } = {}): Promise<OperationRecord[]> {
    return this.#read((sql) => selectOperations(sql, query.activeOnly ?? false, listLimit(query.limit)));
  }

  listMessages(query: ListMessagesQuery = {}): Promise<MessageView[]> {
    return this.#read((sql) => selectMessages(sql, query));
  }

  getMessage(id: number): Promise<MessageView | null> {
    return this.#read((sql) => selectMessage(sql, id));
  }

  stats(nowMs: number): Promise<StoreStats> {
    return this.#read((sql) => selectStats(sql, nowMs));
  }

  incrementCounter(name: string, by = 1): Promise<void> {
    return this.#write((sql) => addToCounter(sql, name, by));
  }

  checkWritable(): Promise<void> {
    return this.#write(async (sql) => {
      await sql.run(
        "INSERT INTO counters (name, value) VALUES ('health_probe', 0) ON CONFLICT (name) DO NOTHING",
      );
    });
  }

  claimDue(nowMs: number, limit: number, leaseUntilMs: number): Promise<PendingPush[]> {
    if (limit < 1) return Promise.resolve([]);
    const reachableSince = this.#reachableSinceMs;
    const mayTakeOver = reachableSince !== null && this.#clock() - reachableSince >= this.#staleAfterMs;
    return this.#write((sql) =>
      claimDuePushes(sql, nowMs, limit, leaseUntilMs, {
        node: this.#node,
        staleAfterMs: this.#staleAfterMs,
        mayTakeOver,
      }),
    );
  }

  nextDueAtMs(): Promise<number | null> {
    return this.#read((sql) => selectNextDueAtMs(sql));
  }

  isOperationOpen(operationId: number): Promise<boolean> {
    return this.#read(async (sql) => (await selectOperation(sql, operationId))?.status === 'active');
  }

  /** Only this host's own leases: other hosts' are theirs until they end and their host is unheard. */
  releaseAbandonedLeases(_nowMs: number): Promise<number> {
    return this.#write((sql) => releaseOwnLeases(sql, this.#node));
  }

  releaseLeases(pushIds: readonly number[]): Promise<void> {
    return this.#write((sql) => releaseHeldLeases(sql, pushIds, this.#node));
  }

  recordDelivered(record: PushAttemptRecord): Promise<void> {
    return this.#patiently(() => this.#write((sql) => markDelivered(sql, record, this.#node)));
  }

  recordRejected(record: PushAttemptRecord, reason: string): Promise<void> {
    return this.#patiently(() => this.#write((sql) => markRejected(sql, record, reason, this.#node)));
  }

  recordRetry(record: PushAttemptRecord, nextAttemptAtMs: number): Promise<void> {
    return this.#patiently(() => this.#write((sql) => markRetry(sql, record, nextAttemptAtMs, this.#node)));
  }

  endWithoutAttempt(
    pushId: number,
    state: 'expired' | 'stopped',
    reason: string,
    atMs: number,
  ): Promise<void> {
    return this.#write((sql) => markEnded(sql, pushId, state, reason, atMs));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #withLeasedPush<T extends { pushId: number | null; leasedPush?: PendingPush }>(
    sql: Sql,
    written: T,
    lease: PushLease | undefined,
  ): Promise<T> {
    if (lease === undefined || written.pushId === null) return written;
    return {
      ...written,
      leasedPush: await leaseQueuedPush(sql, written.pushId, lease.leaseUntilMs, this.#node),
    };
  }

  /** Retries `write` while the server is unreachable, up to `recordPatienceMs`. */
  async #patiently(write: () => Promise<void>): Promise<void> {
    const deadline = this.#clock() + this.#recordPatienceMs;
    for (;;) {
      try {
        return await write();
      } catch (err) {
        if (!isConnectionFailure(err) || this.#closed || this.#clock() >= deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, this.#retryIntervalMs));
      }
    }
  }

  #write<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.#track(inTransaction(this.#pool, work));
  }

  #read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.#track(withConnection(this.#pool, work));
  }

  async #track<T>(call: Promise<T>): Promise<T> {
    try {
      const value = await call;
      this.#reachableSinceMs ??= this.#clock();
      return value;
    } catch (err) {
      if (isConnectionFailure(err)) this.#reachableSinceMs = null;
      throw err;
    }
  }
}
