import { GatewayError, type GatewayErrorOptions } from '../errors.js';
import { lookupErrorCode } from './error-codes.js';
import { describeFinalResult } from './framing/final-result.js';
import type { FinalResult } from './types.js';

/**
 * The command got no final result before its deadline (`AT_TIMEOUT`). Keeps every information
 * line received so far: a half answer is the most useful thing to log.
 */
export class AtTimeoutError extends GatewayError {
  readonly command: string;
  readonly partialLines: readonly string[];
  readonly timeoutMs: number;

  constructor(command: string, partialLines: readonly string[], timeoutMs: number) {
    super('AT_TIMEOUT', `${command} got no final result within ${timeoutMs} ms`, {
      context: { command, partialLines, timeoutMs },
    });
    this.command = command;
    this.partialLines = partialLines;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The modem answered with an error final result (`AT_COMMAND_FAILED`). Callers branch on
 * `result.kind` and `result.code` (see `error-codes.ts` for names and the retry decision).
 */
export class AtCommandError extends GatewayError {
  readonly command: string;
  readonly result: FinalResult;
  readonly lines: readonly string[];

  constructor(command: string, result: FinalResult, lines: readonly string[]) {
    const known =
      result.kind === 'cme' || result.kind === 'cms' ? lookupErrorCode(result.kind, result.code) : undefined;
    const detail = describeFinalResult(result) + (known && !('text' in result) ? ` (${known.name})` : '');
    super('AT_COMMAND_FAILED', `${command} failed: ${detail}`, { context: { command, result, lines } });
    this.command = command;
    this.result = result;
    this.lines = lines;
  }
}

/** Builds an `AT_PORT_CLOSED` error for a command that cannot complete. */
export function portClosedError(command: string | null, cause?: unknown): GatewayError {
  const options: GatewayErrorOptions = { context: command === null ? {} : { command } };
  if (cause !== undefined && cause !== null) options.cause = cause;
  const what = command === null ? 'AT port' : `${command}: AT port`;
  return new GatewayError('AT_PORT_CLOSED', `${what} is closed`, options);
}

/** Builds an `AT_ABORTED` error for a command cancelled through its `AbortSignal`. */
export function abortedError(command: string, reason: unknown): GatewayError {
  return new GatewayError('AT_ABORTED', `${command} was cancelled`, { cause: reason, context: { command } });
}
