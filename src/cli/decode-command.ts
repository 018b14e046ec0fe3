/**
 * `simbridge decode [--smsc|--no-smsc] [PDU ...]` (CONTRACT.md §1): SMS-DELIVER PDUs in, one
 * JSON line per input out, in input order.
 *
 *   args / stdin lines ──drop whitespace──> decodeDeliverPdu ──> toDecodeJson ──> stdout (JSON Lines)
 *                                      └── SmsDecodeError ──> {"error","input"} line, exit 3
 *
 * stdin is streamed line by line (corpora can be large) with back-pressure on stdout; a line
 * longer than any PDU is reported, not buffered without bound.
 */
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { GatewayError } from '../errors.js';
import { decodeDeliverPdu, toDecodeJson } from '../sms/index.js';
import { type CliIo, ExitCode } from './io.js';

/** Limits of the command, in one place. */
export const DECODE_COMMAND_LIMITS = {
  /** Longest stdin line kept; the longest PDU is under 400 hex digits, so this is generous. */
  maxLineChars: 4096,
  /** How much of an over-long line is echoed back in its error line. */
  echoedPrefixChars: 64,
} as const;

const USAGE = `Usage: simbridge decode [--smsc|--no-smsc] [PDU ...]

Decodes SMS-DELIVER PDUs written in hex, as AT+CMGR / AT+CMGL print them (TS 27.005, PDU mode),
and prints one JSON object per input (JSON Lines), in input order.
With no PDU argument, or with "-", reads one PDU per line from stdin. Spaces inside a PDU
are ignored ("07 91 44 ..."), and short hex groups given as separate arguments are one PDU.

Options:
  --smsc       the PDU starts with the SMSC field (default)
  --no-smsc    the PDU starts directly with the TPDU
  -h, --help   show this help

Exit codes: 0 every input decoded; 3 some input was invalid (its line is {"error": ..., "input": ...});
2 usage error.
`;

/** `grouped`: joined from short hex arguments (see `joinOctetGroups`). */
type Source = { kind: 'arg'; value: string; grouped?: boolean } | { kind: 'stdin' };

interface ParsedArgs {
  hasSmsc: boolean;
  sources: Source[];
  help: boolean;
  unknown: string | null;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { hasSmsc: true, sources: [], help: false, unknown: null };
  let flagsDone = false;
  for (const arg of argv) {
    if (flagsDone || arg === '-' || !arg.startsWith('-')) {
      parsed.sources.push(arg === '-' && !flagsDone ? { kind: 'stdin' } : { kind: 'arg', value: arg });
    } else if (arg === '--') flagsDone = true;
    else if (arg === '--smsc') parsed.hasSmsc = true;
    else if (arg === '--no-smsc') parsed.hasSmsc = false;
    else if (arg === '--help' || arg === '-h') parsed.help = true;
    else parsed.unknown ??= arg;
  }
  if (parsed.sources.length === 0) parsed.sources.push({ kind: 'stdin' });
  parsed.sources = joinOctetGroups(parsed.sources);
  return parsed;
}

/** At most this many hex digits: a piece of a PDU pasted without quotes, never a whole one. */
const OCTET_GROUP = /^[0-9A-Fa-f]{1,8}$/;

/**
 * `simbridge decode 07 91 44 ...` (a PDU pasted from a hex dump, unquoted) arrives as one
 * argument per group. No SMS-DELIVER fits in 8 hex digits, so consecutive short hex arguments
 * are read as one PDU.
 */
function joinOctetGroups(sources: readonly Source[]): Source[] {
  const joined: Source[] = [];
  for (const source of sources) {
    const previous = joined.at(-1);
    if (
      source.kind === 'arg' &&
      previous?.kind === 'arg' &&
      OCTET_GROUP.test(source.value) &&
      /^[0-9A-Fa-f]+$/.test(previous.value) &&
      (previous.value.length <= 8 || previous.grouped === true)
    ) {
      joined[joined.length - 1] = { kind: 'arg', value: previous.value + source.value, grouped: true };
    } else joined.push(source);
  }
  return joined;
}

/** A PDU as pasted: spaces, tabs and line breaks between its hex digits are dropped. */
function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** One stdin line, or the start of one that exceeded `maxLineChars`. */
interface InputLine {
  text: string;
  tooLong: boolean;
}

/** Splits a byte stream into lines (LF or CRLF) without holding more than `maxChars` of one. */
async function* readLines(input: Readable, maxChars: number): AsyncGenerator<InputLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let tooLong = false;
  const take = (piece: string): void => {
    if (tooLong) return;
    if (pending.length + piece.length > maxChars) tooLong = true;
    pending = (pending + piece).slice(0, maxChars);
  };
  const flush = (): InputLine => {
    const line = { text: pending, tooLong };
    pending = '';
    tooLong = false;
    return line;
  };
  for await (const chunk of input) {
    const text: string = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      take(text.slice(start, newline));
      yield flush();
      start = newline + 1;
    }
    take(text.slice(start));
  }
  take(decoder.end());
  if (pending !== '' || tooLong) yield flush();
}

/** Writes to stdout with back-pressure; rejects once stdout has failed (e.g. EPIPE). */
class LineWriter {
  readonly #out: Writable;
  #failure: Error | null = null;
  readonly #onError = (err: Error): void => {
    this.#failure ??= err;
  };

  constructor(out: Writable) {
    this.#out = out;
    out.on('error', this.#onError);
  }

  async write(line: string): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (!this.#out.write(`${line}\n`)) await once(this.#out, 'drain');
  }

  /** Detaches from stdout, unless it failed: later errors of a broken pipe must stay handled. */
  close(): void {
    if (this.#failure === null) this.#out.off('error', this.#onError);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The JSON line for one input: the decoded message or `{"error", "input"}`. */
function decodeLine(input: string, hasSmsc: boolean): { line: string; ok: boolean } {
  try {
    return { line: JSON.stringify(toDecodeJson(decodeDeliverPdu(input, { hasSmsc }))), ok: true };
  } catch (err) {
    return { line: JSON.stringify({ error: errorMessage(err), input }), ok: false };
  }
}

function tooLongLine(text: string): string {
  const limit = DECODE_COMMAND_LIMITS.maxLineChars;
  const error = new GatewayError('CLI_LINE_TOO_LONG', `input line longer than ${limit} characters`);
  const input = `${text.trim().slice(0, DECODE_COMMAND_LIMITS.echoedPrefixChars)}…`;
  return JSON.stringify({ error: error.message, input });
}

async function* inputsOf(sources: readonly Source[], stdin: Readable): AsyncGenerator<InputLine> {
  for (const source of sources) {
    if (source.kind === 'arg') {
      yield { text: compact(source.value), tooLong: false };
      continue;
    }
    for await (const line of readLines(stdin, DECODE_COMMAND_LIMITS.maxLineChars)) {
      const text = line.tooLong ? line.text : compact(line.text);
      if (text !== '') yield { text, tooLong: line.tooLong };
    }
  }
}

/**
 * Runs `simbridge decode` (CONTRACT.md §1). `argv` excludes the command name.
 *
 * @returns 0 when every input decoded as an SMS-DELIVER, 3 when any input was invalid (including
 *   a valid SMS-SUBMIT or SMS-STATUS-REPORT: code `SMS_PDU_NOT_DELIVER`), 2 for a usage error,
 *   1 when stdin or stdout fails.
 */
export async function runDecodeCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (args.unknown !== null) {
    io.stderr.write(`simbridge decode: unknown option "${args.unknown}"\n\n${USAGE}`);
    return ExitCode.usage;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }
  const writer = new LineWriter(io.stdout);
  let allDecoded = true;
  try {
    for await (const input of inputsOf(args.sources, io.stdin)) {
      const result = input.tooLong
        ? { line: tooLongLine(input.text), ok: false }
        : decodeLine(input.text, args.hasSmsc);
      allDecoded &&= result.ok;
      await writer.write(result.line);
    }
  } catch (err) {
    // A reader that went away (`simbridge decode < big.txt | head`) is not worth a message.
    if (Reflect.get(Object(err), 'code') !== 'EPIPE')
      io.stderr.write(`simbridge decode: ${errorMessage(err)}\n`);
    return ExitCode.failure;
  } finally {
    writer.close();
  }
  return allDecoded ? ExitCode.ok : ExitCode.invalidInput;
}
