import type { EmulatedFarm } from '../../../src/emulator/farm.js';
import { wireTimeMs } from '../../../src/emulator/wire-pacer.js';
import type { PushArrival } from './bench-rig.js';
import type { StreamMessage } from './message-stream.js';

/**
 * Follows every injected message through the emulated modems: which PDU landed in which slot,
 * when the first byte of its `+CMTI` (or `+CMT`) went on the line, and the serial wire time of
 * the exchange that moves it to the host. Joined with the pushes the server saw, it gives the
 * latency of each message and its ratio to the physics of the line.
 *
 * Latency of a message: from the first byte of the indication of its LAST part (the part that
 * completes it) to the first push of it reaching the server.
 *
 * Wire time of a multipart message: the exchanges of every part still on the line when the last
 * part's indication starts (parts that arrive together are indicated back to back, and the last
 * one cannot be read before the ones ahead of it have crossed the same line); a part indicated
 * longer ago than its own exchange takes is not counted.
 *
 * Wire time of that exchange, at the modem's baud rate (10 bits per byte): what must cross the
 * line before anyone can know the message,
 *   `\r\n+CMTI: "SM",i\r\n` + `AT+CMGR=i\r` + `\r\n+CMGR: 0,,len\r\n<pdu>\r\n\r\nOK\r\n`
 * (the `AT+CMGD=i` and its `OK` that follow are not counted: a host may push before it deletes).
 * For a direct delivery: `\r\n+CMT: ,len\r\n<pdu>\r\n` + `AT+CNMA\r` + `\r\nOK\r\n`.
 */

interface PartRecord {
  key: number;
  /** Modem slot and SIM index of the stored copy whose `+CMTI` was seen (null: none, or direct). */
  slot: number | null;
  index: number | null;
  indicatedAtMs: number | null;
  wireMs: number;
  /** When the modem had received `AT+CMGR=<i>` / `AT+CMGD=<i>` for this part (stored only). */
  readAtMs: number | null;
  deleteAtMs: number | null;
  /** Wire time of the indication line, the read command, its answer, the delete command. */
  lineMs: { indication: number; read: number; answer: number; remove: number } | null;
}

/**
 * Where the time of one stored-message exchange went, in ms, with the line's own wire time
 * taken out of each step:
 * - `reactMs`: +CMTI on the line until the host's AT+CMGR is (fully) at the modem;
 * - `readToDeleteMs`: AT+CMGR received until AT+CMGD received, less the answer's wire time:
 *   parsing, the durable commit of the message (the host deletes only after it) and scheduling;
 * - `deleteToPushMs`: the host sent AT+CMGD (commit done) until the push reached the server:
 *   outbox claim, HTTP request.
 */
export interface ExchangeBreakdown {
  reactMs: number;
  readToDeleteMs: number;
  deleteToPushMs: number;
}

export interface MessageOutcome {
  key: number;
  kind: StreamMessage['kind'];
  injectedAtMs: number;
  /** First byte of the last part's indication; null when no indication was seen (dropped). */
  indicatedAtMs: number | null;
  wireMs: number;
  pushedAtMs: number | null;
  /** Step times of the last part's exchange, when it was a stored message seen end to end. */
  breakdown: ExchangeBreakdown | null;
  /** Where the last part was stored (modem slot, SIM index), when it was indicated by `+CMTI`. */
  lastStored: { slot: number; index: number } | null;
}

export class InjectionTracker {
  readonly #byPdu = new Map<string, { key: number; part: PartRecord }>();
  readonly #messages = new Map<
    number,
    { message: StreamMessage; injectedAtMs: number; parts: PartRecord[] }
  >();
  /** Per slot: "storage:index" -> pdu of the message stored there. */
  readonly #slots: Map<string, string>[] = [];

  constructor(farm: EmulatedFarm) {
    farm.modems().forEach((modem, slot) => {
      const slots = new Map<string, string>();
      const byIndex = new Map<number, string>();
      this.#slots[slot] = slots;
      const baud = modem.baudRate;
      modem.on('stored', (stored) => {
        slots.set(`${stored.storage}:${stored.index}`, stored.pdu);
        byIndex.set(stored.index, stored.pdu);
      });
      modem.on('command', (line) => {
        const match = /^AT\+CMG([RD])=(\d+)/i.exec(line);
        const pdu = match ? byIndex.get(Number(match[2])) : undefined;
        const part = pdu === undefined ? undefined : this.#byPdu.get(pdu)?.part;
        if (!part || !match) return;
        const at = performance.timeOrigin + performance.now();
        if (match[1]?.toUpperCase() === 'R') part.readAtMs ??= at;
        else part.deleteAtMs ??= at;
      });
      modem.on('cmtiSent', ({ storage, index, atMs }) => {
        const pdu = slots.get(`${storage}:${index}`);
        const entry = pdu === undefined ? undefined : this.#byPdu.get(pdu);
        if (!entry || entry.part.indicatedAtMs !== null || pdu === undefined) return;
        entry.part.indicatedAtMs = atMs;
        entry.part.slot = slot;
        entry.part.index = index;
        entry.part.wireMs = wireTimeMs(storedExchangeBytes(storage, index, pdu), baud);
        const lines = storedExchangeLines(storage, index, pdu);
        entry.part.lineMs = {
          indication: wireTimeMs(lines.indication.length, baud),
          read: wireTimeMs(lines.read.length, baud),
          answer: wireTimeMs(lines.answer.length, baud),
          remove: wireTimeMs(lines.remove.length, baud),
        };
      });
      modem.on('cmtSent', ({ pdu, atMs }) => {
        const entry = this.#byPdu.get(pdu);
        if (!entry || entry.part.indicatedAtMs !== null) return;
        entry.part.indicatedAtMs = atMs;
        entry.part.wireMs = wireTimeMs(directExchangeBytes(pdu), baud);
      });
    });
  }

  /** Registers a message just before its PDUs are injected. */
  track(message: StreamMessage, injectedAtMs: number): void {
    const parts: PartRecord[] = message.pdus.map(() => ({
      key: message.key,
      slot: null,
      index: null,
      indicatedAtMs: null,
      wireMs: 0,
      readAtMs: null,
      deleteAtMs: null,
      lineMs: null,
    }));
    message.pdus.forEach((pdu, i) => {
      this.#byPdu.set(pdu, { key: message.key, part: parts[i] as PartRecord });
    });
    this.#messages.set(message.key, { message, injectedAtMs, parts });
  }

  /** The text injected under `key`. */
  textOf(key: number): string | undefined {
    return this.#messages.get(key)?.message.text;
  }

  get size(): number {
    return this.#messages.size;
  }

  keys(): number[] {
    return [...this.#messages.keys()];
  }

  /** Joins with the pushes (first 200 per key) and returns one outcome per tracked message. */
  outcomes(pushes: readonly PushArrival[], keys: Iterable<number> = this.#messages.keys()): MessageOutcome[] {
    const firstPush = new Map<number, number>();
    for (const push of pushes) {
      if (push.key === null || push.status !== 200 || firstPush.has(push.key)) continue;
      firstPush.set(push.key, push.atMs);
    }
    const result: MessageOutcome[] = [];
    for (const key of keys) {
      const entry = this.#messages.get(key);
      if (!entry) continue;
      let last: PartRecord | null = null;
      let complete = true;
      for (const part of entry.parts) {
        if (part.indicatedAtMs === null) complete = false;
        else if (last === null || part.indicatedAtMs > (last.indicatedAtMs ?? 0)) last = part;
      }
      result.push({
        key,
        kind: entry.message.kind,
        injectedAtMs: entry.injectedAtMs,
        indicatedAtMs: complete && last ? last.indicatedAtMs : null,
        wireMs: complete && last ? lineTimeOfLastExchanges(entry.parts, last) : 0,
        pushedAtMs: firstPush.get(key) ?? null,
        breakdown: complete && last ? breakdownOf(last, firstPush.get(key) ?? null) : null,
        lastStored:
          complete && last && last.slot !== null && last.index !== null
            ? { slot: last.slot, index: last.index }
            : null,
      });
    }
    return result;
  }
}

/** Wire time of the parts whose exchange the last part's had to wait for, and its own. */
function lineTimeOfLastExchanges(parts: readonly PartRecord[], last: PartRecord): number {
  const lastAt = last.indicatedAtMs ?? 0;
  let total = 0;
  for (const part of parts) {
    if (part.indicatedAtMs === null) continue;
    if (part === last || part.indicatedAtMs + part.wireMs > lastAt) total += part.wireMs;
  }
  return total;
}

/** The lines of the `+CMTI` / `AT+CMGR` / answer / `AT+CMGD` / `OK` exchange (PDU mode, no echo). */
export function storedExchangeLines(storage: string, index: number, pdu: string) {
  const tpduLength = pdu.length / 2 - 1 - Number.parseInt(pdu.slice(0, 2), 16);
  return {
    indication: `\r\n+CMTI: "${storage}",${index}\r\n`,
    read: `AT+CMGR=${index}\r`,
    answer: `\r\n+CMGR: 0,,${tpduLength}\r\n${pdu}\r\n\r\nOK\r\n`,
    remove: `AT+CMGD=${index}\r`,
    done: '\r\nOK\r\n',
  };
}

/** Bytes that cross the line before the message can be known: indication, read, answer. */
export function storedExchangeBytes(storage: string, index: number, pdu: string): number {
  const { indication, read, answer } = storedExchangeLines(storage, index, pdu);
  return indication.length + read.length + answer.length;
}

/** Bytes of a direct delivery and its acknowledgement (`+CMT`, `AT+CNMA`, `OK`). */
export function directExchangeBytes(pdu: string): number {
  const tpduLength = pdu.length / 2 - 1 - Number.parseInt(pdu.slice(0, 2), 16);
  return `\r\n+CMT: ,${tpduLength}\r\n${pdu}\r\n`.length + 'AT+CNMA\r'.length + '\r\nOK\r\n'.length;
}

function breakdownOf(part: PartRecord, pushedAtMs: number | null): ExchangeBreakdown | null {
  const { indicatedAtMs, readAtMs, deleteAtMs, lineMs } = part;
  if (
    indicatedAtMs === null ||
    readAtMs === null ||
    deleteAtMs === null ||
    lineMs === null ||
    pushedAtMs === null
  ) {
    return null;
  }
  return {
    reactMs: readAtMs - indicatedAtMs - lineMs.indication - lineMs.read,
    readToDeleteMs: deleteAtMs - readAtMs - lineMs.answer - lineMs.remove,
    deleteToPushMs: pushedAtMs - (deleteAtMs - lineMs.remove),
  };
}
