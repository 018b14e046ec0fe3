/**
 * Bytes from the modem → tokens, with no I/O and no timers.
 *
 * ```
 *  chunk ──▶ ┌──────────────────────────────┐ ──▶ { kind: 'line', text }
 *  chunk ──▶ │ AtTokenizer (one byte at a   │ ──▶ { kind: 'prompt' }      (pending is exactly "> ")
 *  chunk ──▶ │ time, so chunking is moot)   │      counters: overflowedLines, droppedNulBytes
 *            └──────────────────────────────┘
 * ```
 *
 * Line ends: every CR and every LF ends a line and empty lines are dropped, so `\r\n` (V.250
 * §5.7.1 with S3=13, S4=10), `\r\r\n` (Huawei E3372/E173 sometimes), a lone `\n` and a lone `\r`
 * all give the same tokens, however the bytes are split into chunks.
 *
 * Decoding: lines are decoded as latin1. Every byte becomes exactly one character, so garbage
 * and invalid UTF-8 never throw, and `Buffer.from(text, 'latin1')` gives back the exact bytes.
 * In PDU mode (TS 27.005 §3.1, `AT+CMGF=0`) all useful traffic is ASCII, so nothing is lost.
 *
 * NUL bytes (seen while a modem boots or autobauds) are dropped and counted.
 */

/** One framing token. */
export type AtToken = { kind: 'line'; text: string } | { kind: 'prompt' };

/** Options of {@link AtTokenizer}. */
export interface AtTokenizerOptions {
  /**
   * Longest line kept, in bytes (default 64 KiB). A longer run without a line end is garbage:
   * it is dropped up to the next line end and counted in `overflowedLines`, so memory stays
   * bounded.
   */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/**
 * What the line buffer starts with: more than the longest line a modem sends in PDU mode
 * (a `+CMGR`/`+CMGL` PDU line is at most ~360 characters), so it grows only for garbage or an
 * unusually long answer. A 64 KiB buffer per modem from the start was 4 MB of a 64-modem farm.
 */
const INITIAL_LINE_BYTES = 1024;

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
const GT = 0x3e;
const SPACE = 0x20;

/** Splits a modem's byte stream into lines and `> ` prompts (TS 27.005 §3.5.1 AT+CMGS). */
export class AtTokenizer {
  readonly #maxLineBytes: number;
  /** Grows (doubling, up to `maxLineBytes`) only when a line needs it. */
  #pending: Buffer;
  #length = 0;
  #overflowing = false;
  #overflowedLines = 0;
  #droppedNulBytes = 0;

  constructor(options: AtTokenizerOptions = {}) {
    this.#maxLineBytes = Math.max(2, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.#pending = Buffer.allocUnsafe(Math.min(this.#maxLineBytes, INITIAL_LINE_BYTES));
  }

  /** Lines dropped because they grew past `maxLineBytes` without a line end. */
  get overflowedLines(): number {
    return this.#overflowedLines;
  }

  /** NUL bytes removed from the stream. */
  get droppedNulBytes(): number {
    return this.#droppedNulBytes;
  }

  /** Bytes held while waiting for a line end (for diagnostics). */
  get pendingBytes(): number {
    return this.#length;
  }

  /** Feeds one chunk; returns the tokens it completes, in order. */
  push(chunk: Uint8Array): AtToken[] {
    const tokens: AtToken[] = [];
    for (const byte of chunk) {
      if (byte === CR || byte === LF) {
        this.#endLine(tokens);
      } else if (byte === NUL) {
        this.#droppedNulBytes++;
      } else {
        this.#append(byte, tokens);
      }
    }
    return tokens;
  }

  /** Forgets any partial line (after the port reopens). */
  reset(): void {
    this.#length = 0;
    this.#overflowing = false;
  }

  #append(byte: number, tokens: AtToken[]): void {
    if (this.#overflowing) return;
    if (this.#length === this.#maxLineBytes) {
      this.#overflowing = true;
      this.#overflowedLines++;
      this.#length = 0;
      return;
    }
    if (this.#length === this.#pending.length) this.#grow();
    this.#pending[this.#length++] = byte;
    // The prompt has no line end; it is recognised the moment the two bytes are complete.
    if (this.#length === 2 && this.#pending[0] === GT && this.#pending[1] === SPACE) {
      this.#length = 0;
      tokens.push({ kind: 'prompt' });
    }
  }

  #grow(): void {
    const larger = Buffer.allocUnsafe(Math.min(this.#maxLineBytes, this.#pending.length * 2));
    this.#pending.copy(larger, 0, 0, this.#length);
    this.#pending = larger;
  }

  #endLine(tokens: AtToken[]): void {
    if (this.#overflowing) {
      this.#overflowing = false;
      return;
    }
    if (this.#length === 0) return;
    tokens.push({ kind: 'line', text: this.#pending.toString('latin1', 0, this.#length) });
    this.#length = 0;
  }
}

/** Tokenizes a whole buffer at once (tests, fixtures). */
export function tokenize(bytes: Uint8Array, options?: AtTokenizerOptions): AtToken[] {
  return new AtTokenizer(options).push(bytes);
}
