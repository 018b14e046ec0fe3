import type {
  OutboxStore,
  PendingPush,
  PushAttemptRecord,
  PushState,
  StoredPushBody,
} from '../../src/push/types.js';

/** An in-memory `OutboxStore` with the lease semantics the SQLite one has. */
export interface MemoryPush extends Omit<PendingPush, 'leaseUntilMs'> {
  state: PushState;
  leaseUntilMs: number | null;
  reason: string | null;
}

export class MemoryOutbox implements OutboxStore {
  readonly pushes: MemoryPush[] = [];
  readonly attempts: PushAttemptRecord[] = [];
  readonly closedOperations = new Set<number>();
  /** Set to make the next N `record*` calls fail (a busy database). */
  failNextRecords = 0;
  /** Ids given back by `releaseLeases`, in call order. */
  readonly releasedLeases: number[] = [];
  maxClaimLimit = 0;

  add(body: Partial<StoredPushBody> & { operationId?: number }, createdAtMs: number): MemoryPush {
    const operationId = body.operationId ?? 355;
    const push: MemoryPush = {
      id: this.pushes.length + 1,
      messageId: this.pushes.length + 100,
      operationId,
      body: {
        smsId: body.smsId ?? operationId,
        phoneFrom: body.phoneFrom ?? 'Instagram',
        phone: body.phone ?? '79088081050',
        text: body.text ?? 'Your verification code is 800142',
      },
      attempts: 0,
      createdAtMs,
      nextAttemptAtMs: createdAtMs,
      state: 'pending',
      leaseUntilMs: null,
      reason: null,
    };
    this.pushes.push(push);
    return push;
  }

  attemptsOf(pushId: number): PushAttemptRecord[] {
    return this.attempts.filter((a) => a.pushId === pushId);
  }

  async claimDue(nowMs: number, limit: number, leaseUntilMs: number): Promise<PendingPush[]> {
    this.maxClaimLimit = Math.max(this.maxClaimLimit, limit);
    const due = this.pushes
      .filter((p) => p.state === 'pending' && p.nextAttemptAtMs <= nowMs && (p.leaseUntilMs ?? 0) <= nowMs)
      .sort((a, b) => a.nextAttemptAtMs - b.nextAttemptAtMs)
      .slice(0, limit);
    for (const push of due) push.leaseUntilMs = leaseUntilMs;
    return due.map((p) => this.#pending(p));
  }

  /** A push queued already leased, as an ingest asked to lease it returns it. */
  addLeased(
    body: Partial<StoredPushBody> & { operationId?: number },
    createdAtMs: number,
    leaseUntilMs: number,
  ): PendingPush {
    const push = this.add(body, createdAtMs);
    push.leaseUntilMs = leaseUntilMs;
    return this.#pending(push);
  }

  async releaseLeases(pushIds: readonly number[]): Promise<void> {
    this.releasedLeases.push(...pushIds);
    for (const push of this.pushes) {
      if (pushIds.includes(push.id) && push.state === 'pending') push.leaseUntilMs = null;
    }
  }

  #pending(push: MemoryPush): PendingPush {
    const { state: _state, reason: _reason, leaseUntilMs, ...rest } = push;
    return { ...rest, body: { ...push.body }, ...(leaseUntilMs === null ? {} : { leaseUntilMs }) };
  }

  async nextDueAtMs(): Promise<number | null> {
    const times = this.pushes
      .filter((p) => p.state === 'pending')
      .map((p) => Math.max(p.nextAttemptAtMs, p.leaseUntilMs ?? 0));
    return times.length === 0 ? null : Math.min(...times);
  }

  async isOperationOpen(operationId: number): Promise<boolean> {
    return !this.closedOperations.has(operationId);
  }

  async recordDelivered(record: PushAttemptRecord): Promise<void> {
    this.#record(record, 'delivered', null);
  }

  async recordRejected(record: PushAttemptRecord, reason: string): Promise<void> {
    this.#record(record, 'rejected', reason);
  }

  async recordRetry(record: PushAttemptRecord, nextAttemptAtMs: number): Promise<void> {
    const push = this.#record(record, 'pending', null);
    push.nextAttemptAtMs = nextAttemptAtMs;
  }

  async endWithoutAttempt(pushId: number, state: 'expired' | 'stopped', reason: string): Promise<void> {
    const push = this.#get(pushId);
    push.state = state;
    push.reason = reason;
    push.leaseUntilMs = null;
  }

  async releaseAbandonedLeases(): Promise<number> {
    const leased = this.pushes.filter((p) => p.state === 'pending' && p.leaseUntilMs !== null);
    for (const push of leased) push.leaseUntilMs = null;
    return leased.length;
  }

  #record(record: PushAttemptRecord, state: PushState, reason: string | null): MemoryPush {
    if (this.failNextRecords > 0) {
      this.failNextRecords--;
      throw new Error('database is locked');
    }
    const push = this.#get(record.pushId);
    this.attempts.push(record);
    push.attempts = record.attempt;
    push.state = state;
    push.reason = reason;
    push.leaseUntilMs = null;
    return push;
  }

  #get(pushId: number): MemoryPush {
    const push = this.pushes.find((p) => p.id === pushId);
    if (!push) throw new Error(`no push ${pushId}`);
    return push;
  }
}

/** Time by hand: `clock()` and timers that fire only when the test says so. */
export class ManualTime {
  nowMs = 1_700_000_000_000;
  readonly #timers = new Map<number, { atMs: number; callback: () => void }>();
  #nextId = 1;

  readonly clock = (): number => this.nowMs;
  readonly timers = {
    setTimeout: (callback: () => void, ms: number): unknown => {
      const id = this.#nextId++;
      this.#timers.set(id, { atMs: this.nowMs + ms, callback });
      return id;
    },
    clearTimeout: (handle: unknown): void => {
      this.#timers.delete(handle as number);
    },
  };

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves the clock to the earliest timer and fires it; returns the new time. */
  fireNext(): number {
    const [id, timer] = [...this.#timers.entries()].sort((a, b) => a[1].atMs - b[1].atMs)[0] ?? [];
    if (id === undefined || timer === undefined) throw new Error('no timer pending');
    this.#timers.delete(id);
    this.nowMs = Math.max(this.nowMs, timer.atMs);
    timer.callback();
    return this.nowMs;
  }
}
