/**
 * Bytes from the modem → tokens, with no I/O and no timers.
 *
 * ```
 *  chunk ──▶ ┌──────────────────────────────┐ ──▶ { kind: 'line', text }
 *  chunk ──▶ │ AtTokenizer (one byte at a   │ ──▶ { kind: 'prompt' }      (pending is exactly "> ")
 *  chunk ──▶ │ time, so chunking is moot)   │ ──▶ { kind: 'blank' }       (only with `blankLines`)
 *            └──────────────────────────────┘      counters: overflowedLines, droppedNulBytes
 * ```
 *
 * Line ends: every CR and every LF ends a line and empty lines are dropped, so `\r\n` (V.250
 * §5.7.1 with S3=13, S4=10), `\r\r\n` (Huawei E3372/E173 sometimes), a lone `\n` and a lone `\r`
 * all give the same tokens, however the bytes are split into chunks.
 *
 * Empty lines: with `blankLines`, each empty line is reported as a `blank` token instead. One
 * line end is `\r\n`, `\r\r\n`, `\n\r`, a lone `\n` or a lone `\r`; a second one before any text
 * is an empty line. V.250 frames every response in them (`\r\nOK\r\n\r\n+CMTI: ...`), so most
 * blanks are framing and only the reader knows when one is content (a quoted `+CUSD` text
 * still open, TS 27.007 §7.15): the engine drops the others.
 *
 * Decoding: lines are decoded as latin1. Every byte becomes exactly one character, so garbage
 * and invalid UTF-8 never throw, and `Buffer.from(text, 'latin1')` gives back the exact bytes.
 * In PDU mode (TS 27.005 §3.1, `AT+CMGF=0`) all useful traffic is ASCII, so nothing is lost.
 *
 * NUL bytes (seen while a modem boots or autobauds) are dropped and counted.
 */

/** One framing token. */
export type AtToken = { kind: 'line'; text: string } | { kind: 'prompt' } | { kind: 'blank' };

/** Options of {@link AtTokenizer}. */
export interface AtTokenizerOptions {
  /**
   * Longest line kept, in bytes (default 64 KiB). A longer run without a line end is garbage:
   * it is dropped up to the next line end and counted in `overflowedLines`, so memory stays
   * bounded.
   */
  maxLineBytes?: number;
  /** Report empty lines as `blank` tokens instead of dropping them (see the file header). */
  blankLines?: boolean;
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

/** Which line-end bytes the current line end has taken (`#endBytes`). */
const END_CR = 1;
const END_LF = 2;
/** One token object for every empty line: no allocation per framing line end. */
const BLANK: AtToken = Object.freeze({ kind: 'blank' });

/** Splits a modem's byte stream into lines and `> ` prompts (TS 27.005 §3.5.1 AT+CMGS). */
export class AtTokenizer {
  readonly #maxLineBytes: number;
  readonly #blankLines: boolean;
  /** Grows (doubling, up to `maxLineBytes`) only when a line needs it. */
  #pending: Buffer;
  #length = 0;
  #overflowing = false;
  #overflowedLines = 0;
  #droppedNulBytes = 0;
  /**
   * The CR/LF bytes taken by the line end since the last line (or prompt); read only at a line
   * end with nothing pending, so the bytes of a line never touch it.
   */
  #endBytes = 0;

  constructor(options: AtTokenizerOptions = {}) {
    this.#maxLineBytes = Math.max(2, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.#blankLines = options.blankLines === true;
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
        this.#endLine(byte === CR ? END_CR : END_LF, tokens);
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
    this.#endBytes = 0;
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
      this.#endBytes = 0;
      tokens.push({ kind: 'prompt' });
    }
  }

  #grow(): void {
    const larger = Buffer.allocUnsafe(Math.min(this.#maxLineBytes, this.#pending.length * 2));
    this.#pending.copy(larger, 0, 0, this.#length);
    this.#pending = larger;
  }

  #endLine(end: number, tokens: AtToken[]): void {
    if (this.#overflowing) {
      this.#overflowing = false;
      this.#endBytes = end;
      return;
    }
    if (this.#length === 0) {
      if (this.#blankLines) this.#emptyLineEnd(end, tokens);
      return;
    }
    tokens.push({ kind: 'line', text: this.#pending.toString('latin1', 0, this.#length) });
    this.#length = 0;
    this.#endBytes = end;
  }

  /**
   * A CR or LF with no text before it: more of the same line end (`\r\n`, `\r\r\n`, `\n\r`), or
   * the start of another one, which makes an empty line. A second LF always starts one; a CR
   * starts one only after a whole `\r\n` or `\n\r`, so Huawei's `\r\r\n` stays one line end.
   */
  #emptyLineEnd(end: number, tokens: AtToken[]): void {
    const taken = this.#endBytes;
    const another = end === END_LF ? (taken & END_LF) !== 0 : taken === (END_CR | END_LF);
    if (another) {
      tokens.push(BLANK);
      this.#endBytes = end;
    } else {
      this.#endBytes = taken | end;
    }
  }
}

/** Tokenizes a whole buffer at once (tests, fixtures). */
export function tokenize(bytes: Uint8Array, options?: AtTokenizerOptions): AtToken[] {
  return new AtTokenizer(options).push(bytes);
}
