/**
 * The store as the bridge and the admin API see it: asynchronous throughout, so that a
 * PostgreSQL backend (several Pis sharing operations and the outbox) can replace the embedded
 * SQLite one without the pipeline changing. Every method that writes resolves only after its
 * change is committed.
 */
import type { OutboxStore, PendingPush, PushLease, PushState } from '../push/types.js';

/**
 * Status of a stored message.
 * - `pending`: a push is queued or being retried.
 * - `delivered` / `rejected` / `expired`: the push's final state.
 * - `no_operation`: not pushed; the SIM's phone is unknown or has no active operation (also when
 *   the operation finished before the push got through: the push then ends as `stopped`).
 * - `filtered`: the sender matched the deny-list; never pushed.
 * - `invalid`: the PDU (or text-mode read) could not be decoded; stored raw with the error.
 * - `not_deliver`: a valid PDU that is not an SMS-DELIVER (status report, stored SUBMIT); kept,
 *   never pushed.
 * - `part`: one part of a concatenated SMS; the reassembled message is its own row.
 */
export const MESSAGE_STATUSES = [
  'pending',
  'delivered',
  'rejected',
  'no_operation',
  'filtered',
  'expired',
  'invalid',
  'not_deliver',
  'part',
] as const;

/** One of {@link MESSAGE_STATUSES}. */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** What the bridge decided for a message, before the store looks up the active operation. */
export type RouteDecision =
  /** The sender is on the deny-list. */
  | { kind: 'filtered' }
  /** The SIM's phone number is not known. */
  | { kind: 'no_phone' }
  /** Push it if `phone` has an active operation (looked up in the same transaction). */
  | { kind: 'push'; phone: string };

/** The fields of a message row as read from the modem and decoded. Times are epoch ms. */
export interface MessageInput {
  simKey: string;
  iccid: string | null;
  imsi: string | null;
  port: string;
  phone: string | null;
  storage: string | null;
  storageIndex: number | null;
  rawPdu: string | null;
  /** Text mode: the fields as read, JSON. */
  rawText: string | null;
  dedupeKey: string;
  sender: string | null;
  senderType: string | null;
  text: string | null;
  encoding: string | null;
  scTimestamp: string | null;
  receivedAtMs: number;
}

export interface DecodeFailure {
  code: string;
  message: string;
  /** Byte offset in the PDU where decoding failed, when the decoder knows it. */
  offset: number | null;
}

/** The concatenation IE of one part (TS 23.040 §9.2.3.24.1 8-bit, §9.2.3.24.8 16-bit reference). */
export interface ConcatPart {
  reference: number;
  total: number;
  sequence: number;
  /** Width of the reference: parts with an 8-bit and a 16-bit reference are never one message. */
  referenceBits: 8 | 16;
}

/** A stored part, handed to the bridge's `assemble` function when a group closes. */
export interface StoredPart {
  messageId: number;
  sequence: number;
  rawPdu: string | null;
  text: string | null;
}

/** Joins parts (already sorted by sequence, one per sequence) into the text to push. */
export type AssembleParts = (parts: readonly StoredPart[]) => string;

export type IngestInput =
  | { kind: 'invalid'; message: MessageInput; error: DecodeFailure }
  | { kind: 'not_deliver'; message: MessageInput }
  | { kind: 'single'; message: MessageInput; route: RouteDecision }
  | {
      kind: 'part';
      message: MessageInput;
      concat: ConcatPart;
      route: RouteDecision;
      assemble: AssembleParts;
      /** A part arriving this long after its group was closed incomplete starts a new group. */
      latePartWindowMs: number;
      /**
       * A part whose SC time stamp (TP-SCTS) is further than this from its group's first part
       * belongs to another message that reused the reference, and does not join that group.
       */
      scTimeToleranceMs: number;
    };

export interface IngestResult {
  /** The row of this input (the part row for a part). */
  messageId: number;
  /** True when the dedupe key was already stored: nothing was written. */
  duplicate: boolean;
  status: MessageStatus;
  /** Set when this call queued a push (for a part: the reassembled message's push). */
  pushId: number | null;
  /** For parts: the group, and the message that completed it (if this part completed it). */
  groupId: number | null;
  completedMessageId: number | null;
  /** True when a part arrived after its group was closed incomplete and was routed on its own. */
  latePart: boolean;
  /**
   * The push this call queued, already leased to this process, when the call passed a
   * `PushLease`: the caller hands it to the push worker (`PushWorker.submit`), no claim needed.
   */
  leasedPush?: PendingPush;
}

/** A multipart group still collecting parts. */
export interface CollectingGroup {
  id: number;
  simKey: string;
  sender: string;
  reference: number;
  total: number;
  firstPartAtMs: number;
  /** The SIM's phone as stored with the parts (null when unknown). */
  phone: string | null;
}

export interface GroupCloseResult {
  /** False when the group was no longer collecting (it completed meanwhile). */
  closed: boolean;
  messageId: number | null;
  status: MessageStatus | null;
  pushId: number | null;
  /** The push queued, already leased, when the close was passed a `PushLease`. */
  leasedPush?: PendingPush;
}

export type OperationSource = 'admin' | 'reseller';

export interface OperationRecord {
  id: number;
  phone: string;
  service: string;
  source: OperationSource;
  status: 'active' | 'finished';
  finishStatus: number | null;
  sum: number | null;
  createdAtMs: number;
  finishedAtMs: number | null;
}

export interface CreateOperationInput {
  /** Explicit id (admin API); omitted: the next id above every id ever used. */
  id?: number;
  phone: string;
  service: string;
  source: OperationSource;
  sum?: number | null;
  nowMs?: number;
}

export interface EndOperationInput {
  /** FINISH_ACTIVATION status (1, 3, 4, 5); omitted when the admin API ends it. */
  finishStatus?: number | null;
  sum?: number | null;
  nowMs?: number;
}

export interface MultipartInfo {
  groupId: number;
  total: number;
  partsReceived: number;
  /** All parts were in; false for a group closed by the timeout or a late part. */
  complete: boolean;
  state: 'collecting' | 'complete' | 'incomplete';
  /** This message is one part that arrived after its group was closed, pushed on its own. */
  latePart: boolean;
}

export interface MessageView {
  id: number;
  simKey: string;
  port: string;
  phone: string | null;
  sender: string | null;
  senderType: string | null;
  text: string | null;
  encoding: string | null;
  scTimestamp: string | null;
  status: MessageStatus;
  error: DecodeFailure | null;
  operationId: number | null;
  rawPdu: string | null;
  receivedAtMs: number;
  updatedAtMs: number;
  multipart: MultipartInfo | null;
  push: { id: number; state: PushState; attempts: number; finalReason: string | null } | null;
}

export interface ListMessagesQuery {
  status?: MessageStatus;
  /** Newest first; default 100, at most 1000. */
  limit?: number;
  /** Part rows are hidden unless asked for (or `status: 'part'`). */
  includeParts?: boolean;
}

export interface StoreStats {
  /** Pushes in state `pending`. */
  outboxDepth: number;
  /** Age of the oldest pending push at `nowMs`, or null when none. */
  oldestPendingAgeMs: number | null;
  messagesByStatus: Record<MessageStatus, number>;
  pushesByState: Record<PushState, number>;
  activeOperations: number;
  collectingGroups: number;
  counters: Record<string, number>;
}

/** Well-known counter names. */
/** Messages read from a SIM again after they were stored (crash between commit and delete). */
export const COUNTER_DUPLICATE_READS = 'duplicate_reads';
/** Pushes possibly in flight when a process died (a 200 may not have been committed). */
export const COUNTER_DUPLICATE_WINDOW = 'duplicate_window';

export interface BridgeRepository extends OutboxStore {
  releaseAbandonedLeases(nowMs: number): Promise<number>;
  /**
   * Stores one received message (and its push, if routed) atomically; idempotent by dedupe key.
   * Resolves only after the commit, so the caller may then delete the message from the SIM.
   * With `lease`, the push it queues is leased to this process in the same transaction
   * ("born leased") and returned as `leasedPush`.
   */
  ingest(input: IngestInput, nowMs: number, lease?: PushLease): Promise<IngestResult>;
  /** Groups still collecting whose first part arrived at or before `cutoffMs`. */
  overdueGroups(cutoffMs: number): Promise<CollectingGroup[]>;
  /** Closes a collecting group as `incomplete`: the parts that arrived become one routed message. */
  closeGroupIncomplete(
    groupId: number,
    route: RouteDecision,
    assemble: AssembleParts,
    nowMs: number,
    lease?: PushLease,
  ): Promise<GroupCloseResult>;

  createOperation(input: CreateOperationInput): Promise<OperationRecord>;
  endOperation(id: number, input?: EndOperationInput): Promise<OperationRecord>;
  getOperation(id: number): Promise<OperationRecord | null>;
  activeOperationForPhone(phone: string): Promise<OperationRecord | null>;
  listOperations(query?: { activeOnly?: boolean; limit?: number }): Promise<OperationRecord[]>;

  listMessages(query?: ListMessagesQuery): Promise<MessageView[]>;
  getMessage(id: number): Promise<MessageView | null>;
  stats(nowMs: number): Promise<StoreStats>;
  incrementCounter(name: string, by?: number): Promise<void>;
  /** A cheap write proving the store accepts commits (for `/healthz`). */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
}
