import type { Logger } from '../log.js';
import type { UrcHandler } from './types.js';

/**
 * Most lines an open-ended claim (`UrcHandler.continues`) takes before it is delivered as is: a
 * USSD text is at most 182 characters, so a claim this long means a closing quote that never
 * came, and the URCs and final results behind it (`+CMTI`, `OK`) must not be swallowed for long.
 */
export const MAX_OPEN_CLAIM_LINES = 16;

interface Claim {
  handler: UrcHandler;
  lines: string[];
  /** Lines still to claim, or `open` while the handler's `continues` says so. */
  remaining: number | 'open';
}

/**
 * Routes unsolicited result codes by pattern (TS 27.007 §4.1 "unsolicited result codes").
 * Handlers are tried in registration order; the first match wins. A handler can claim the next
 * lines whole (`+CMT: ,<length>` then the PDU, TS 27.005 §3.4.1; `+CDS:` likewise), or as
 * many as its text needs (`continues`: a quoted `+CUSD:` string spanning lines).
 */
export class UrcRouter {
  readonly #handlers: UrcHandler[] = [];
  readonly #log: Logger;
  #claim: Claim | null = null;

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Registers a handler; returns its unregister function. */
  add(handler: UrcHandler): () => void {
    this.#handlers.push(handler);
    return () => {
      const index = this.#handlers.indexOf(handler);
      if (index >= 0) this.#handlers.splice(index, 1);
      if (this.#claim?.handler === handler) this.#claim = null;
    };
  }

  /** True while a handler is collecting the lines that follow its first line. */
  get isClaiming(): boolean {
    return this.#claim !== null;
  }

  /** True while the claim is open-ended: the handler's text (a quoted `+CUSD` string) is unfinished. */
  get isClaimingOpen(): boolean {
    return this.#claim?.remaining === 'open';
  }

  /**
   * An empty line from the modem. Inside an open claim it is part of the text (a USSD answer
   * with an empty line in it); anywhere else it is V.250 framing, and a counted claim (the PDU
   * after `+CMT:`) must not take it as its line, so it is dropped.
   */
  blankLine(): void {
    if (this.isClaimingOpen) this.continueClaim('');
  }

  /** Gives the next line to the claiming handler. Call only while `isClaiming`. */
  continueClaim(line: string): void {
    const claim = this.#claim;
    if (claim === null) return;
    claim.lines.push(line);
    if (claim.remaining === 'open') {
      if (claim.lines.length < MAX_OPEN_CLAIM_LINES && this.#continues(claim.handler, claim.lines)) return;
    } else {
      claim.remaining--;
      if (claim.remaining > 0) return;
    }
    this.#claim = null;
    this.#deliver(claim.handler, claim.lines);
  }

  /**
   * Ends an unfinished claim (a final result arrived where the claimed line should be) and
   * returns the lines collected, so the caller can report them instead of losing them.
   */
  abandonClaim(): string[] {
    const claim = this.#claim;
    this.#claim = null;
    if (claim === null) return [];
    this.#log.warn({ urc: claim.handler.name, lines: claim.lines }, 'URC cut short before its claimed lines');
    return claim.lines;
  }

  /** The first handler whose pattern matches `line`, if any. */
  find(line: string): UrcHandler | undefined {
    return this.#handlers.find((candidate) => this.#matches(candidate, line));
  }

  /** Delivers `line` to `handler`, or starts its claim of the following lines. */
  start(handler: UrcHandler, line: string): void {
    const extra = this.#extraLines(handler, line);
    if (extra > 0) {
      this.#claim = { handler, lines: [line], remaining: extra };
    } else if (this.#continues(handler, [line])) {
      this.#claim = { handler, lines: [line], remaining: 'open' };
    } else {
      this.#deliver(handler, [line]);
    }
  }

  /** Routes `line` if a handler matches it; false when no handler wants it. */
  route(line: string): boolean {
    const handler = this.find(line);
    if (handler === undefined) return false;
    this.start(handler, line);
    return true;
  }

  #matches(handler: UrcHandler, line: string): boolean {
    try {
      return handler.match(line);
    } catch (err) {
      this.#log.warn({ err, urc: handler.name }, 'URC matcher threw; treated as no match');
      return false;
    }
  }

  #extraLines(handler: UrcHandler, line: string): number {
    try {
      const count = handler.extraLines?.(line) ?? 0;
      return Number.isInteger(count) && count > 0 ? count : 0;
    } catch (err) {
      this.#log.warn({ err, urc: handler.name }, 'URC extraLines threw; no lines claimed');
      return 0;
    }
  }

  #continues(handler: UrcHandler, lines: readonly string[]): boolean {
    try {
      return handler.continues?.(lines) === true;
    } catch (err) {
      this.#log.warn({ err, urc: handler.name }, 'URC continues threw; the URC ends here');
      return false;
    }
  }

  #deliver(handler: UrcHandler, lines: readonly string[]): void {
    this.#log.debug({ urc: handler.name, lines }, 'URC');
    try {
      handler.handle(lines);
    } catch (err) {
      this.#log.warn({ err, urc: handler.name }, 'URC handler threw');
    }
  }
}
