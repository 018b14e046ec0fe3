/**
 * Reassembly of concatenated SMS (TS 23.040 §9.2.3.24.1 / .8): pure, no timers, no I/O. The
 * caller passes the clock (`nowMs`) and persists parts itself; the state can be rebuilt from
 * the stored parts (constructor) or from a JSON-safe {@link ReassemblerSnapshot}.
 *
 * Parts belong together when SIM, sender, reference and total match; they are accepted in any
 * order and a second part with the same sequence number is reported as a duplicate and dropped.
 * After a message completes, its parts are remembered until the next {@link Reassembler.expire}
 * past the timeout, so a part the modem lists again (not yet deleted from the SIM) is a
 * duplicate too. Only a part with the same text counts then: a new message that reuses the
 * 8-bit reference is never dropped.
 *
 * Joining: a part's text is decoded on its own, which is wrong at two kinds of boundary, so the
 * representation keeps what is needed to join them right:
 * - UCS-2: an emoji (surrogate pair) split across parts. `text` is a JS string, i.e. UTF-16 code
 *   units, and the decoder keeps a lone surrogate as its code unit, so joining the strings joins
 *   the pair. Storage must keep those code units: the snapshot writes text as UTF-16 hex, since
 *   UTF-8 (SQLite, JSON encoders) would turn a lone surrogate into U+FFFD.
 * - GSM 7-bit: an escape (0x1B) that ends one part and its septet that starts the next. Parts
 *   may carry their raw `septets`; consecutive parts that carry them under the same national
 *   tables have their septets joined and decoded once (see {@link joinParts}).
 */
import { GatewayError } from '../errors.js';
import { decodeDeliverPdu } from './decode-pdu.js';
import { septetsToText, unpackSeptets } from './gsm7.js';
import { hexToBytes } from './hex.js';
import { DEFAULT_NATIONAL_TABLES, resolveGsm7Tables } from './shift-tables.js';

/** One received part, as the pipeline hands it over. */
export interface ReassemblyPart {
  /** Opaque key of the receiving SIM (for example its ICCID). */
  sim: string;
  sender: string;
  reference: number;
  total: number;
  /** 1-based sequence number. */
  sequence: number;
  /** This part's decoded text (for 8-bit data, its hex). */
  text: string;
  /** GSM 7-bit only: the text septets of this part (header and fill bits excluded). */
  septets?: readonly number[];
  /** National language tables of the part (UDH IEs 0x25 / 0x24); 0 or absent = default. */
  lockingShiftLanguage?: number;
  singleShiftLanguage?: number;
  /** The caller's id for the stored part, returned untouched. */
  id?: string;
}

/** A part as held by the reassembler: with the time it was added. */
export interface HeldPart extends ReassemblyPart {
  receivedAtMs: number;
}

export type AddResult =
  | { kind: 'complete'; key: string; parts: HeldPart[]; text: string }
  | { kind: 'pending'; key: string; received: number; total: number }
  | { kind: 'duplicate'; key: string };

/** An incomplete message given up on by {@link Reassembler.expire}. */
export interface ExpiredGroup {
  key: string;
  sim: string;
  sender: string;
  reference: number;
  total: number;
  /** Received parts in sequence order. */
  parts: HeldPart[];
  /** Sequence numbers never received. */
  missing: number[];
  /** The received parts joined in sequence order (each run of consecutive parts joined as one). */
  text: string;
  firstReceivedAtMs: number;
}

/** JSON-safe state: every held part, with text as UTF-16 hex so lone surrogates survive. */
export interface ReassemblerSnapshot {
  version: 1;
  parts: Array<Omit<HeldPart, 'text'> & { textUtf16: string }>;
  /** Recently completed messages: key, completion time and each part's text as UTF-16 hex. */
  completed?: Array<{
    key: string;
    completedAtMs: number;
    parts: Array<{ sequence: number; textUtf16: string }>;
  }>;
}

const MAX_TOTAL = 255;
const MAX_REFERENCE = 0xffff;

/** Stable key of a concatenated message: SIM, sender, reference and total. */
export function reassemblyKey(part: Pick<ReassemblyPart, 'sim' | 'sender' | 'reference' | 'total'>): string {
  return JSON.stringify([part.sim, part.sender, part.reference, part.total]);
}

function checkPart(part: ReassemblyPart): void {
  const bad = (message: string): GatewayError =>
    new GatewayError('SMS_CONCAT_INVALID', message, {
      context: { reference: part.reference, total: part.total, sequence: part.sequence },
    });
  if (!Number.isInteger(part.total) || part.total < 1 || part.total > MAX_TOTAL)
    throw bad('total must be 1..255');
  if (!Number.isInteger(part.sequence) || part.sequence < 1 || part.sequence > part.total) {
    throw bad('sequence must be 1..total');
  }
  if (!Number.isInteger(part.reference) || part.reference < 0 || part.reference > MAX_REFERENCE) {
    throw bad('reference must be 0..65535');
  }
}

/** What {@link joinParts} reads of a part. */
export type JoinablePart = Pick<
  ReassemblyPart,
  'sequence' | 'text' | 'septets' | 'lockingShiftLanguage' | 'singleShiftLanguage'
>;

/**
 * True when `part` continues the run ending in `last`: the next sequence number, and either
 * both without septets or both with septets under the same national tables.
 */
function continuesRun(last: JoinablePart, part: JoinablePart): boolean {
  if (part.sequence !== last.sequence + 1) return false;
  if ((part.septets === undefined) !== (last.septets === undefined)) return false;
  return (
    (part.lockingShiftLanguage ?? 0) === (last.lockingShiftLanguage ?? 0) &&
    (part.singleShiftLanguage ?? 0) === (last.singleShiftLanguage ?? 0)
  );
}

function joinRun(run: readonly JoinablePart[]): string {
  const first = run[0];
  if (first?.septets === undefined) return run.map((part) => part.text).join('');
  const septets = Uint8Array.from(run.flatMap((part) => [...(part.septets ?? [])]));
  const tables = resolveGsm7Tables(
    DEFAULT_NATIONAL_TABLES,
    first.lockingShiftLanguage ?? 0,
    first.singleShiftLanguage ?? 0,
  );
  return septetsToText(septets, tables);
}

/**
 * Text of parts in sequence order. Consecutive parts are joined as one run: their septets
 * decoded together when they carry them (so an escape split from its septet is rejoined), else
 * their texts (a split surrogate pair rejoins as UTF-16 code units). Across a missing part, or
 * where septets or national tables change, the runs are simply concatenated.
 */
export function joinParts(parts: readonly JoinablePart[]): string {
  const sorted = [...parts].sort((a, b) => a.sequence - b.sequence);
  let text = '';
  let run: JoinablePart[] = [];
  for (const part of sorted) {
    const last = run.at(-1);
    if (last !== undefined && !continuesRun(last, part)) {
      text += joinRun(run);
      run = [];
    }
    run.push(part);
  }
  return text + joinRun(run);
}

/** UTF-16 code units as hex (4 digits each), lossless for lone surrogates. */
export function toUtf16Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) out += text.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

/** Inverse of {@link toUtf16Hex}. */
export function fromUtf16Hex(hex: string): string {
  if (!/^(?:[0-9a-fA-F]{4})*$/.test(hex)) {
    throw new GatewayError('SMS_CONCAT_INVALID', 'snapshot text is not UTF-16 hex', {
      context: { length: hex.length },
    });
  }
  const units: number[] = [];
  for (let i = 0; i < hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
  let out = '';
  for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
  return out;
}

/**
 * Text septets of a GSM 7-bit SMS-DELIVER (header and fill bits skipped, TS 23.040 §9.2.3.24),
 * found by walking the fields of a PDU the decoder has already accepted: the decoded text no
 * longer shows an escape (0x1B) that ended the part, the septets do. `hasSmsc` as the decoder's
 * option (PDUs from `AT+CMGR` start with the SMSC field, TS 27.005 §3.1).
 */
export function deliverTextSeptets(pdu: string, hasSmsc = true): number[] {
  const bytes = hexToBytes(pdu);
  let at = hasSmsc ? (bytes[0] ?? 0) + 1 : 0; // SMSC field
  const hasHeader = ((bytes[at] ?? 0) & 0x40) !== 0; // TP-UDHI
  at += 1;
  at += 2 + Math.ceil((bytes[at] ?? 0) / 2); // TP-OA: length in semi-octets, type, digits
  at += 2 + 7; // TP-PID, TP-DCS, TP-SCTS
  const udl = bytes[at] ?? 0;
  at += 1;
  const headerSeptets = hasHeader ? Math.ceil((((bytes[at] ?? 0) + 1) * 8) / 7) : 0;
  const count = Math.max(0, udl - headerSeptets);
  return Array.from(unpackSeptets(bytes, at, headerSeptets * 7, count));
}

/**
 * The reassembly part of a concatenated SMS-DELIVER PDU (hex with the SMSC field, as
 * `AT+CMGR` prints it), GSM 7-bit septets included; null when the PDU is not concatenated.
 *
 * @throws SmsDecodeError as `decodeDeliverPdu` for a malformed PDU.
 */
export function reassemblyPartFromPdu(pdu: string, sim: string, id?: string): ReassemblyPart | null {
  const decoded = decodeDeliverPdu(pdu);
  if (decoded.concat === null) return null;
  const { reference, total, sequence } = decoded.concat;
  return {
    sim,
    sender: decoded.sender,
    reference,
    total,
    sequence,
    text: decoded.text,
    ...(decoded.encoding === 'gsm7'
      ? {
          septets: deliverTextSeptets(pdu),
          lockingShiftLanguage: decoded.lockingShiftLanguage,
          singleShiftLanguage: decoded.singleShiftLanguage,
        }
      : {}),
    ...(id === undefined ? {} : { id }),
  };
}

interface Group {
  parts: Map<number, HeldPart>;
  firstReceivedAtMs: number;
}

interface Completed {
  completedAtMs: number;
  /** Text per sequence number. */
  texts: Map<number, string>;
}

/** Holds the parts of incomplete concatenated messages until they complete or expire. */
export class Reassembler {
  readonly #groups = new Map<string, Group>();
  readonly #completed = new Map<string, Completed>();

  /** Rebuilds the state from stored parts (for example after a restart); duplicates are dropped. */
  constructor(parts: readonly HeldPart[] = []) {
    for (const part of parts) this.#hold(part);
  }

  /** Rebuilds a reassembler from {@link snapshot} output. */
  static restore(snapshot: ReassemblerSnapshot): Reassembler {
    if (snapshot.version !== 1) {
      throw new GatewayError('SMS_CONCAT_INVALID', 'unknown snapshot version', {
        context: { version: snapshot.version },
      });
    }
    const restored = new Reassembler(
      snapshot.parts.map(({ textUtf16, ...rest }) => ({ ...rest, text: fromUtf16Hex(textUtf16) })),
    );
    for (const entry of snapshot.completed ?? []) {
      const texts = new Map(
        entry.parts.map((part) => [part.sequence, fromUtf16Hex(part.textUtf16)] as const),
      );
      restored.#completed.set(entry.key, { completedAtMs: entry.completedAtMs, texts });
    }
    return restored;
  }

  /**
   * Adds a part received at `nowMs`. A single-part message (total 1) completes at once and is
   * not held. The completed group is removed from the state.
   *
   * @throws GatewayError `SMS_CONCAT_INVALID` for a total, sequence or reference out of range.
   */
  add(part: ReassemblyPart, nowMs: number): AddResult {
    const held: HeldPart = { ...part, receivedAtMs: nowMs };
    const key = reassemblyKey(part);
    checkPart(part);
    if (this.#completed.get(key)?.texts.get(part.sequence) === part.text) return { kind: 'duplicate', key };
    const { group, duplicate } = this.#hold(held);
    if (duplicate) return { kind: 'duplicate', key };
    if (group.parts.size < part.total)
      return { kind: 'pending', key, received: group.parts.size, total: part.total };
    this.#groups.delete(key);
    const parts = [...group.parts.values()].sort((a, b) => a.sequence - b.sequence);
    this.#completed.set(key, {
      completedAtMs: nowMs,
      texts: new Map(parts.map((p) => [p.sequence, p.text] as const)),
    });
    return { kind: 'complete', key, parts, text: joinParts(parts) };
  }

  /**
   * Removes and returns the groups whose first part arrived `timeoutMs` or more before `nowMs`,
   * parts in sequence order, for the caller to deliver as one text marked incomplete. Also
   * forgets messages completed that long ago.
   */
  expire(nowMs: number, timeoutMs: number): ExpiredGroup[] {
    for (const [key, done] of this.#completed) {
      if (nowMs - done.completedAtMs >= timeoutMs) this.#completed.delete(key);
    }
    const expired: ExpiredGroup[] = [];
    for (const [key, group] of this.#groups) {
      if (nowMs - group.firstReceivedAtMs < timeoutMs) continue;
      this.#groups.delete(key);
      const parts = [...group.parts.values()].sort((a, b) => a.sequence - b.sequence);
      const first = parts[0];
      if (first === undefined) continue;
      const missing: number[] = [];
      for (let seq = 1; seq <= first.total; seq += 1) if (!group.parts.has(seq)) missing.push(seq);
      expired.push({
        key,
        sim: first.sim,
        sender: first.sender,
        reference: first.reference,
        total: first.total,
        parts,
        missing,
        text: joinParts(parts),
        firstReceivedAtMs: group.firstReceivedAtMs,
      });
    }
    return expired.sort((a, b) => a.firstReceivedAtMs - b.firstReceivedAtMs);
  }

  /** Every held part, in group order then sequence order. */
  heldParts(): HeldPart[] {
    return [...this.#groups.values()].flatMap((group) =>
      [...group.parts.values()].sort((a, b) => a.sequence - b.sequence),
    );
  }

  /** Number of incomplete messages held. */
  get pendingCount(): number {
    return this.#groups.size;
  }

  /** JSON-safe copy of the state; {@link Reassembler.restore} rebuilds it. */
  snapshot(): ReassemblerSnapshot {
    return {
      version: 1,
      parts: this.heldParts().map(({ text, septets, ...rest }) => ({
        ...rest,
        ...(septets === undefined ? {} : { septets: [...septets] }),
        textUtf16: toUtf16Hex(text),
      })),
      completed: [...this.#completed].map(([key, done]) => ({
        key,
        completedAtMs: done.completedAtMs,
        parts: [...done.texts].map(([sequence, text]) => ({ sequence, textUtf16: toUtf16Hex(text) })),
      })),
    };
  }

  #hold(part: HeldPart): { group: Group; duplicate: boolean } {
    checkPart(part);
    const key = reassemblyKey(part);
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { parts: new Map(), firstReceivedAtMs: part.receivedAtMs };
      this.#groups.set(key, group);
    }
    if (group.parts.has(part.sequence)) return { group, duplicate: true };
    group.parts.set(part.sequence, { ...part, ...(part.septets ? { septets: [...part.septets] } : {}) });
    group.firstReceivedAtMs = Math.min(group.firstReceivedAtMs, part.receivedAtMs);
    return { group, duplicate: false };
  }
}
