import type { PendingPush, PushAttemptRecord, PushLease } from '../push/types.js';
import type { SqliteDatabase } from './database.js';
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
} from './repository.js';
import { ingestMessage } from './sqlite-ingest.js';
import { selectMessage, selectMessages, selectStats } from './sqlite-messages.js';
import { closeIncompleteGroup, selectOverdueGroups } from './sqlite-multipart.js';
import {
  finishOperation,
  insertOperation,
  selectActiveOperation,
  selectOperation,
  selectOperations,
} from './sqlite-operations.js';
import {
  claimDuePushes,
  hasClaimablePush,
  leaseQueuedPush,
  markDelivered,
  markEnded,
  markRejected,
  markRetry,
  releaseHeldLeases,
  releaseLeases,
  selectNextDueAtMs,
} from './sqlite-outbox.js';
import { addToCounter, listLimit, runSql } from './sqlite-rows.js';
import { asStoreError, WriteBatcher } from './write-batcher.js';

export interface SqliteRepositoryOptions {
  /** Epoch ms, for operations created or ended without an explicit time. Default `Date.now`. */
  clock?: () => number;
  /** Most writes grouped into one transaction. Default 256. */
  maxBatch?: number;
}

/**
 * `BridgeRepository` and `OutboxStore` over one better-sqlite3 connection (opened with
 * `openDatabase` and migrated with `runMigrations`). Writes from concurrent callers are grouped
 * into shared transactions by a `WriteBatcher`; each promise resolves after its commit. Reads run
 * directly (WAL: they never wait for the writer).
 */
export class SqliteRepository implements BridgeRepository {
  readonly #db: SqliteDatabase;
  readonly #clock: () => number;
  readonly #writes: WriteBatcher;

  constructor(db: SqliteDatabase, options: SqliteRepositoryOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? Date.now;
    this.#writes = new WriteBatcher(db, options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch });
  }

  /** The connection, for components that keep their own tables in the same database. */
  get database(): SqliteDatabase {
    return this.#db;
  }

  ingest(input: IngestInput, nowMs: number, lease?: PushLease): Promise<IngestResult> {
    return this.#writes.run(() => withLeasedPush(this.#db, ingestMessage(this.#db, input, nowMs), lease));
  }

  overdueGroups(cutoffMs: number): Promise<CollectingGroup[]> {
    return this.#read(() => selectOverdueGroups(this.#db, cutoffMs));
  }

  closeGroupIncomplete(
    groupId: number,
    route: RouteDecision,
    assemble: AssembleParts,
    nowMs: number,
    lease?: PushLease,
  ): Promise<GroupCloseResult> {
    return this.#writes.run(() =>
      withLeasedPush(this.#db, closeIncompleteGroup(this.#db, groupId, route, assemble, nowMs), lease),
    );
  }

  createOperation(input: CreateOperationInput): Promise<OperationRecord> {
    return this.#writes.run(() => insertOperation(this.#db, input, input.nowMs ?? this.#clock()));
  }

  endOperation(id: number, input: EndOperationInput = {}): Promise<OperationRecord> {
    return this.#writes.run(() => finishOperation(this.#db, id, input, input.nowMs ?? this.#clock()));
  }

  getOperation(id: number): Promise<OperationRecord | null> {
    return this.#read(() => selectOperation(this.#db, id));
  }

  activeOperationForPhone(phone: string): Promise<OperationRecord | null> {
    return this.#read(() => selectActiveOperation(this.#db, phone));
  }

  listOperations(query: { activeOnly?: boolean; limit?: number } = {}): Promise<OperationRecord[]> {
    return this.#read(() => selectOperations(this.#db, query.activeOnly ?? false, listLimit(query.limit)));
  }

  listMessages(query: ListMessagesQuery = {}): Promise<MessageView[]> {
    return this.#read(() => selectMessages(this.#db, query));
  }

  getMessage(id: number): Promise<MessageView | null> {
    return this.#read(() => selectMessage(this.#db, id));
  }

  stats(nowMs: number): Promise<StoreStats> {
    return this.#read(() => selectStats(this.#db, nowMs));
  }

  incrementCounter(name: string, by = 1): Promise<void> {
    return this.#writes.run(() => addToCounter(this.#db, name, by));
  }

  checkWritable(): Promise<void> {
    return this.#writes.run(() => {
      runSql(
        this.#db,
        "INSERT INTO counters (name, value) VALUES ('health_probe', 0) ON CONFLICT(name) DO NOTHING",
      );
    });
  }

  claimDue(nowMs: number, limit: number, leaseUntilMs: number): Promise<PendingPush[]> {
    // Nothing due (the usual answer once pushes arrive leased): a read, not a queued write.
    try {
      if (limit < 1 || !hasClaimablePush(this.#db, nowMs)) return Promise.resolve([]);
    } catch (err) {
      return Promise.reject(asStoreError(err, 'read failed'));
    }
    return this.#writes.run(() => claimDuePushes(this.#db, nowMs, limit, leaseUntilMs));
  }

  nextDueAtMs(): Promise<number | null> {
    return this.#read(() => selectNextDueAtMs(this.#db));
  }

  isOperationOpen(operationId: number): Promise<boolean> {
    return this.#read(() => selectOperation(this.#db, operationId)?.status === 'active');
  }

  releaseAbandonedLeases(_nowMs: number): Promise<number> {
    return this.#writes.run(() => releaseLeases(this.#db));
  }

  releaseLeases(pushIds: readonly number[]): Promise<void> {
    return this.#writes.run(() => releaseHeldLeases(this.#db, pushIds));
  }

  recordDelivered(record: PushAttemptRecord): Promise<void> {
    return this.#writes.run(() => markDelivered(this.#db, record));
  }

  recordRejected(record: PushAttemptRecord, reason: string): Promise<void> {
    return this.#writes.run(() => markRejected(this.#db, record, reason));
  }

  recordRetry(record: PushAttemptRecord, nextAttemptAtMs: number): Promise<void> {
    return this.#writes.run(() => markRetry(this.#db, record, nextAttemptAtMs));
  }

  endWithoutAttempt(
    pushId: number,
    state: 'expired' | 'stopped',
    reason: string,
    atMs: number,
  ): Promise<void> {
    return this.#writes.run(() => markEnded(this.#db, pushId, state, reason, atMs));
  }

  /** Waits for queued writes to commit, then closes the connection. */
  async close(): Promise<void> {
    await this.#writes.run(() => undefined);
    if (this.#db.open) this.#db.close();
  }

  #read<T>(query: () => T): Promise<T> {
    try {
      return Promise.resolve(query());
    } catch (err) {
      return Promise.reject(asStoreError(err, 'read failed'));
    }
  }
}

/** Leases the push that `written` queued, in the same transaction, when `lease` asks for it. */
function withLeasedPush<T extends { pushId: number | null; leasedPush?: PendingPush }>(
  db: SqliteDatabase,
  written: T,
  lease: PushLease | undefined,
): T {
  if (lease === undefined || written.pushId === null) return written;
  return { ...written, leasedPush: leaseQueuedPush(db, written.pushId, lease.leaseUntilMs) };
}
