import type { FinalResult } from '../types.js';
import { isBodyEcho, isCommandEcho } from './echo.js';
import { classifyFinalResult } from './final-result.js';

/** What the engine knows about the command in flight when a line arrives. */
export interface InFlightView {
  command: string;
  /** The command's information-response prefixes (`['+CMGL:']`); they win over URC patterns. */
  expect?: readonly string[] | undefined;
  /** True until the echo was seen or an information line arrived (echo comes first or never). */
  echoPossible: boolean;
  /** The AT+CMGS body once written and not yet echoed back, else null. */
  pendingBodyEcho: string | null;
}

export interface RouteContext {
  /** A URC handler is collecting the lines that follow its first line. */
  claiming: boolean;
  /**
   * The claim is open-ended (`UrcHandler.continues`): a quoted text, such as a `+CUSD` answer,
   * is still open, so every line is part of it, one that reads `OK` or `ERROR` too.
   */
  claimOpen?: boolean;
  inFlight: InFlightView | null;
  /** True when some URC handler matches the line. */
  matchesUrc(line: string): boolean;
}

/**
 * Where one line goes:
 * - `claim`: to the URC handler collecting lines (`+CMT: ,<len>` then the PDU);
 * - `echo` / `body-echo`: dropped (V.250 `E1` echo of the command, or of the AT+CMGS body);
 * - `final`: ends the command in flight with `final`;
 * - `info`: an information line of the command in flight;
 * - `urc`: to the matching URC handler;
 * - `unhandled`: no command waits and no handler wants it (boot noise, a late answer).
 */
export type LineRoute =
  | { kind: 'claim' }
  | { kind: 'echo' }
  | { kind: 'body-echo' }
  | { kind: 'final'; final: FinalResult }
  | { kind: 'info' }
  | { kind: 'urc' }
  | { kind: 'unhandled'; final: FinalResult | null };

export interface RouteDecision {
  route: LineRoute;
  /**
   * A counted claim was in progress but this line is a final result, so the claim is cut short
   * (a PDU line is never `OK`); the claimed lines so far are reported, not lost.
   */
  cutsClaim: boolean;
}

/**
 * Decides where a line from the modem goes (TS 27.007 §4.1: information text, final result
 * codes and unsolicited result codes share one stream). Pure: the engine acts on the answer.
 * Order: claim, echo, final result, `expect` prefix, URC pattern, then information line while a
 * command waits, else unhandled. An open claim takes even a final result: inside an open quote
 * it is text (a USSD menu line `OK`); the quote closing, or `MAX_OPEN_CLAIM_LINES`, ends it.
 */
export function routeLine(line: string, context: RouteContext): RouteDecision {
  if (context.claiming && context.claimOpen === true) return { route: { kind: 'claim' }, cutsClaim: false };
  const final = classifyFinalResult(line);
  if (context.claiming && final === null) return { route: { kind: 'claim' }, cutsClaim: false };
  const cutsClaim = context.claiming;
  const inFlight = context.inFlight;
  if (inFlight === null) {
    if (final === null && context.matchesUrc(line)) return { route: { kind: 'urc' }, cutsClaim };
    return { route: { kind: 'unhandled', final }, cutsClaim };
  }
  if (inFlight.echoPossible && isCommandEcho(line, inFlight.command))
    return { route: { kind: 'echo' }, cutsClaim };
  if (inFlight.pendingBodyEcho !== null && isBodyEcho(line, inFlight.pendingBodyEcho)) {
    return { route: { kind: 'body-echo' }, cutsClaim };
  }
  if (final !== null) return { route: { kind: 'final', final }, cutsClaim };
  const expected = inFlight.expect?.some((prefix) => line.startsWith(prefix)) ?? false;
  if (!expected && context.matchesUrc(line)) return { route: { kind: 'urc' }, cutsClaim };
  return { route: { kind: 'info' }, cutsClaim };
}
