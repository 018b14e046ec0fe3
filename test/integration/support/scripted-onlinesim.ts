import {
  type MockAnswer,
  type MockOnlinesim,
  type RecordedRequest,
  startMockOnlinesim,
} from '../../../src/push/mock-onlinesim.js';

/**
 * The mock Onlinesim with answers scripted per operation (`smsId`), so one bridge can serve
 * several scenarios at once: each test uses its own SIM and operation and scripts only those.
 * Every request is recorded with the HTTP status it was answered with.
 */

export interface PushRecord {
  request: RecordedRequest;
  /** The HTTP status the mock chose for it; 0 when it reset the connection or never answered. */
  status: number;
  smsId: number | null;
  phone: string | null;
  phoneFrom: string | null;
  text: string | null;
}

export class ScriptedOnlinesim {
  readonly #mock: MockOnlinesim;
  readonly #queues = new Map<number, MockAnswer[]>();
  readonly records: PushRecord[] = [];
  /** Answer for an operation with nothing queued; default 200 SUCCESS. */
  fallback: MockAnswer = { status: 200, body: { status: 'SUCCESS' } };

  private constructor(mock: MockOnlinesim) {
    this.#mock = mock;
  }

  static async start(): Promise<ScriptedOnlinesim> {
    let self: ScriptedOnlinesim | null = null;
    const mock = await startMockOnlinesim({
      script: (request) => (self ? self.#answer(request) : { status: 503 }),
    });
    self = new ScriptedOnlinesim(mock);
    return self;
  }

  get url(): string {
    return this.#mock.url;
  }

  /** The next answers for pushes of operation `smsId`, in order; afterwards `fallback`. */
  script(smsId: number, answers: readonly MockAnswer[]): void {
    this.#queues.set(smsId, [...answers]);
  }

  /** Every push of one operation, in arrival order. */
  pushesFor(smsId: number): PushRecord[] {
    return this.records.filter((r) => r.smsId === smsId);
  }

  /** Pushes of `smsId` answered 200. */
  deliveredFor(smsId: number): PushRecord[] {
    return this.pushesFor(smsId).filter((r) => r.status === 200);
  }

  close(): Promise<void> {
    return this.#mock.close();
  }

  #answer(request: RecordedRequest): MockAnswer {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const smsId = typeof body.smsId === 'number' ? body.smsId : null;
    const answer = (smsId === null ? undefined : this.#queues.get(smsId)?.shift()) ?? this.fallback;
    this.records.push({
      request,
      // A reset or a hang sends no status at all.
      status: answer.reset || answer.hang ? 0 : (answer.status ?? 200),
      smsId,
      phone: typeof body.phone === 'string' ? body.phone : null,
      phoneFrom: typeof body.phoneFrom === 'string' ? body.phoneFrom : null,
      text: typeof body.text === 'string' ? body.text : null,
    });
    return answer;
  }
}
