import { isGatewayError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import type { ReceivedSms, SmsSink } from '../modem/types.js';
import type { PendingPush, PushLease } from '../push/types.js';
import { decodePdu } from '../sms/decode-pdu.js';
import type { DecodedPdu } from '../sms/types.js';
import type {
  AssembleParts,
  BridgeRepository,
  DecodeFailure,
  IngestInput,
  IngestResult,
  MessageInput,
} from '../store/repository.js';
import { assembleParts } from './assemble-parts.js';
import { dedupeKeyOf, simKeyOf } from './message-identity.js';
import { closeOverdueGroups } from './multipart-timeout.js';
import { decideRoute } from './route.js';
import { NO_TRACE, type StageTrace } from './stage-trace.js';

/*
 *  modem driver ──accept(sms)──► IngestPipeline
 *                                  │ sim key, phone (SIM directory), dedupe key
 *                                  │ decode PDU ──error──► invalid (stored raw)
 *                                  │ not a DELIVER ──────► not_deliver
 *                                  │ deny-list / phone ──► route decision
 *                                  ▼
 *                            repo.ingest (one transaction: message [+ push, leased to us])
 *                                  │ committed
 *                                  ▼
 *                   accept resolves ──► driver deletes from SIM (+CMGD) / acks (+CNMA)
 *                   push queued ──► onPushQueued(push) hands it to the push worker first
 */

/** Looks up the phone number of a SIM (config `sims`, ICCID first, IMSI as fallback). */
export interface SimPhoneDirectory {
  phoneFor(sim: { iccid: string | null; imsi: string | null }): string | null;
}

export interface IngestPipelineOptions {
  repo: BridgeRepository;
  simDirectory: SimPhoneDirectory;
  /**
   * True for a sender that must never be pushed (stored as `filtered`): config
   * `filter.denySenders`, compiled once by `compileSenderFilter`. Default: nobody is denied.
   */
  denySenders?: (sender: string) => boolean;
  /** A multipart SMS still missing parts this long after its first part is pushed incomplete. */
  multipartTimeoutMs?: number;
  /**
   * A part arriving within this long after its group was closed incomplete is pushed on its
   * own; later, or when its sequence number is already in the group, it starts a new group (the
   * sender reused the 8-bit reference).
   */
  latePartWindowMs?: number;
  /**
   * An SMSC stamps the parts of one message (TP-SCTS, TS 23.040 §9.2.3.11) within seconds of
   * each other: a part stamped further than this from a group's first part belongs to another
   * message that reused the reference, and does not join that group.
   */
  multipartScTimeToleranceMs?: number;
  /** PDUs from `AT+CMGR`/`AT+CMGL` start with the SMSC field (TS 27.005 §3.1). Default true. */
  pduHasSmsc?: boolean;
  /** PDU decoder; default the product's codec. */
  decodePdu?: (hex: string) => DecodedPdu;
  log?: Logger;
  /** Epoch ms. */
  clock?: () => number;
  /**
   * Called after a commit that queued a push, before anything else is done with the result
   * (so the request can go out before the driver's `AT+CMGD`). With `pushLeaseMs` it gets the
   * push, already leased, for `PushWorker.submit`; without, null (wake the worker's claim).
   */
  onPushQueued?: (push: PendingPush | null) => void;
  /**
   * Lease each queued push to this process for this long in the transaction that queues it
   * ("born leased"), and hand it to `onPushQueued`: no claim commit before its request. Only
   * with a running push worker taking it (the claim path skips it until the lease ends). Use
   * the worker's `leaseMs`. Default: not leased.
   */
  pushLeaseMs?: number;
  /** Called after every committed message with what was stored (metrics). */
  onStored?: (sms: ReceivedSms, result: IngestResult) => void;
  /** Marks the decode and commit of each stored message (the benchmark's stage table). */
  trace?: StageTrace;
}

export const INGEST_DEFAULTS = {
  multipartTimeoutMs: 60_000,
  latePartWindowMs: 60 * 60_000,
  multipartScTimeToleranceMs: 10 * 60_000,
  pduHasSmsc: true,
} as const;

/**
 * The modem layer's `SmsSink`: stores every received SMS durably, then routes it to a push.
 * `accept` resolves only after the message's row is committed; if the store fails it rejects,
 * and the driver leaves the SMS on the SIM for the next sweep. A malformed PDU is stored raw as
 * `invalid` and resolves (so it leaves the SIM and is never retried forever). Reading the same
 * stored message again resolves without a second row or push.
 */
export class IngestPipeline implements SmsSink {
  readonly #repo: BridgeRepository;
  readonly #directory: SimPhoneDirectory;
  readonly #isDenied: (sender: string) => boolean;
  readonly #decode: (hex: string) => DecodedPdu;
  readonly #assemble: AssembleParts;
  readonly #log: Logger;
  readonly #clock: () => number;
  readonly #onPushQueued: (push: PendingPush | null) => void;
  readonly #pushLeaseMs: number | undefined;
  readonly #onStored: (sms: ReceivedSms, result: IngestResult) => void;
  readonly #multipartTimeoutMs: number;
  readonly #latePartWindowMs: number;
  readonly #scTimeToleranceMs: number;
  readonly #trace: StageTrace;

  constructor(options: IngestPipelineOptions) {
    this.#repo = options.repo;
    this.#directory = options.simDirectory;
    this.#isDenied = options.denySenders ?? (() => false);
    const hasSmsc = options.pduHasSmsc ?? INGEST_DEFAULTS.pduHasSmsc;
    const decode = options.decodePdu ?? ((hex: string) => decodePdu(hex, { hasSmsc }));
    this.#decode = decode;
    this.#assemble = (parts) => assembleParts(parts, { decode, hasSmsc });
    this.#log = (options.log ?? silentLogger()).child({ layer: 'bridge' });
    this.#clock = options.clock ?? Date.now;
    this.#onPushQueued = options.onPushQueued ?? (() => {});
    this.#pushLeaseMs = options.pushLeaseMs;
    this.#onStored = options.onStored ?? (() => {});
    this.#multipartTimeoutMs = options.multipartTimeoutMs ?? INGEST_DEFAULTS.multipartTimeoutMs;
    this.#latePartWindowMs = options.latePartWindowMs ?? INGEST_DEFAULTS.latePartWindowMs;
    this.#scTimeToleranceMs =
      options.multipartScTimeToleranceMs ?? INGEST_DEFAULTS.multipartScTimeToleranceMs;
    this.#trace = options.trace ?? NO_TRACE;
  }

  get multipartTimeoutMs(): number {
    return this.#multipartTimeoutMs;
  }

  async accept(sms: ReceivedSms): Promise<void> {
    await this.ingest(sms);
  }

  /** `accept` with the outcome, for callers (and tests) that want to know what was stored. */
  async ingest(sms: ReceivedSms): Promise<IngestResult> {
    const input = this.#classify(sms);
    const traced = this.#trace.enabled && sms.origin.kind === 'stored' ? sms.origin.index : null;
    if (traced !== null) this.#trace.mark(sms.port, traced, 'decoded');
    let result: IngestResult;
    try {
      const nowMs = this.#clock();
      result = await this.#repo.ingest(input, nowMs, this.#leaseFrom(nowMs));
    } catch (err) {
      this.#log.error({ err, port: sms.port }, 'could not store a received SMS; it stays on the SIM');
      throw err;
    }
    if (traced !== null) {
      this.#trace.mark(sms.port, traced, 'committed');
      const push = result.leasedPush;
      if (push) this.#trace.linkPush(sms.port, traced, push.id);
    }
    if (result.pushId !== null) this.#onPushQueued(result.leasedPush ?? null);
    this.#report(sms, input, result);
    if (!result.duplicate) this.#onStored(sms, result);
    return result;
  }

  /**
   * Closes every group that has waited longer than `multipartTimeoutMs` (see
   * multipart-timeout.ts). Returns how many were closed.
   */
  closeOverdueGroups(): Promise<number> {
    return closeOverdueGroups({
      repo: this.#repo,
      nowMs: this.#clock(),
      pushLeaseMs: this.#pushLeaseMs,
      timeoutMs: this.#multipartTimeoutMs,
      isDenied: this.#isDenied,
      assemble: this.#assemble,
      log: this.#log,
      onPushQueued: this.#onPushQueued,
    });
  }

  #leaseFrom(nowMs: number): PushLease | undefined {
    return this.#pushLeaseMs === undefined ? undefined : { leaseUntilMs: nowMs + this.#pushLeaseMs };
  }

  #classify(sms: ReceivedSms): IngestInput {
    const simKey = simKeyOf(sms);
    const base: MessageInput = {
      simKey,
      iccid: sms.iccid,
      imsi: sms.imsi,
      port: sms.port,
      phone: this.#directory.phoneFor({ iccid: sms.iccid, imsi: sms.imsi }),
      storage: sms.origin.kind === 'stored' ? sms.origin.storage : null,
      storageIndex: sms.origin.kind === 'stored' ? sms.origin.index : null,
      rawPdu: sms.pdu,
      rawText: sms.textMode === null ? null : JSON.stringify(sms.textMode),
      dedupeKey: dedupeKeyOf(simKey, sms),
      sender: null,
      senderType: null,
      text: null,
      encoding: null,
      scTimestamp: null,
      receivedAtMs: sms.receivedAtMs,
    };
    if (sms.pdu === null) {
      if (sms.textMode === null) {
        return { kind: 'invalid', message: base, error: emptyFailure() };
      }
      const { sender, senderType, text, timestamp } = sms.textMode;
      const message = { ...base, sender, senderType, text, scTimestamp: timestamp };
      return { kind: 'single', message, route: decideRoute(sender, message.phone, this.#isDenied) };
    }
    let decoded: DecodedPdu;
    try {
      decoded = this.#decode(sms.pdu);
    } catch (err) {
      return { kind: 'invalid', message: base, error: decodeFailure(err) };
    }
    if (decoded.type !== 'deliver') {
      return {
        kind: 'not_deliver',
        message: { ...base, text: decoded.type === 'submit' ? decoded.text : null },
      };
    }
    const message: MessageInput = {
      ...base,
      sender: decoded.sender,
      senderType: decoded.senderType,
      text: decoded.text,
      encoding: decoded.encoding,
      scTimestamp: decoded.timestamp,
    };
    const route = decideRoute(decoded.sender, message.phone, this.#isDenied);
    const concat = decoded.concat;
    // TS 23.040 §9.2.3.24.1: a total of 0/1 or a sequence outside 1..total means "ignore the IE".
    if (concat === null || concat.total < 2 || concat.sequence < 1 || concat.sequence > concat.total) {
      return { kind: 'single', message, route };
    }
    return {
      kind: 'part',
      message,
      concat: {
        reference: concat.reference,
        total: concat.total,
        sequence: concat.sequence,
        referenceBits: concat.referenceBits,
      },
      route,
      assemble: this.#assemble,
      latePartWindowMs: this.#latePartWindowMs,
      scTimeToleranceMs: this.#scTimeToleranceMs,
    };
  }

  #report(sms: ReceivedSms, input: IngestInput, result: IngestResult): void {
    // What arrived where, for the operator at `info`: never the sender or the text (personal data).
    const fields = {
      port: sms.port,
      sim: sms.iccid ?? sms.imsi,
      storage: sms.origin.kind === 'stored' ? sms.origin.storage : null,
      index: sms.origin.kind === 'stored' ? sms.origin.index : null,
      messageId: result.messageId,
      status: result.status,
    };
    if (result.duplicate) this.#log.info(fields, 'SMS already stored (read again); not stored twice');
    else if (input.kind === 'invalid')
      this.#log.warn({ ...fields, error: input.error }, 'undecodable SMS stored raw');
    else if (result.completedMessageId !== null) {
      this.#log.info({ ...fields, completedMessageId: result.completedMessageId }, 'multipart SMS complete');
    } else this.#log.info({ ...fields, pushId: result.pushId, latePart: result.latePart }, 'SMS stored');
  }
}

function decodeFailure(err: unknown): DecodeFailure {
  const offset: unknown = err instanceof Error ? Reflect.get(err, 'offset') : undefined;
  if (isGatewayError(err)) {
    return { code: err.code, message: err.message, offset: typeof offset === 'number' ? offset : null };
  }
  // Not the decoder's typed error: a decoder bug. Still stored, never dropped.
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'BRIDGE_DECODE_FAILED', message, offset: null };
}

function emptyFailure(): DecodeFailure {
  return {
    code: 'BRIDGE_SMS_EMPTY',
    message: 'the modem delivered neither a PDU nor a text-mode message',
    offset: null,
  };
}
