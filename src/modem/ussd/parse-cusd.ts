import { decodeUssdText } from './decode-ussd.js';

/**
 * `+CUSD: <m>[,<str>[,<dcs>]]` (TS 27.007 §7.15). `<m>`: 0 no further action, 1 further user
 * action required (a menu), 2 terminated by the network, 3 another local client answered,
 * 4 operation not supported, 5 network time-out.
 */
export type UssdStatus = 'done' | 'menu' | 'ended' | 'other-client' | 'not-supported' | 'network-timeout';

const STATUSES: readonly UssdStatus[] = [
  'done',
  'menu',
  'ended',
  'other-client',
  'not-supported',
  'network-timeout',
];

/** One network answer to a USSD request, decoded. */
export interface UssdReply {
  status: UssdStatus;
  /** Decoded text, or null when the answer carried none (`+CUSD: 2`). */
  text: string | null;
  dcs: number | null;
  /** The answer as the modem printed it (its lines joined by `\n`), for logs. */
  raw: string;
}

/**
 * True while a `+CUSD:` answer is unfinished: its quoted text has a line break in it, so the
 * closing quote (and `,<dcs>`) is on a later line. An answer without a quoted string is whole.
 */
export function cusdContinues(lines: readonly string[]): boolean {
  const open = /^\+CUSD:\s*\d\s*,\s*"([\s\S]*)$/.exec(lines.join('\n').trim());
  if (!open) return false;
  return !/"\s*(?:,\s*\d{1,3}\s*)?$/.test(open[1] ?? '');
}

/**
 * Parses one `+CUSD:` answer, given as its line or its lines (a text with line breaks, see
 * {@link cusdContinues}; they are joined with `\n`, an empty line in the text coming as `''`);
 * null when it is not one.
 */
export function parseCusd(input: string | readonly string[]): UssdReply | null {
  const line = typeof input === 'string' ? input : input.join('\n');
  const match = /^\+CUSD:\s*(\d)\s*(?:,([\s\S]*))?$/.exec(line.trim());
  if (!match) return null;
  const status = STATUSES[Number(match[1])];
  if (status === undefined) return null;
  const rest = match[2]?.trim() ?? '';
  if (rest === '') return { status, text: null, dcs: null, raw: line };
  let body = rest;
  let dcs: number | null = null;
  // The DCS is the number after the last comma; the string may itself contain commas.
  const tail = /,\s*(\d{1,3})\s*$/.exec(rest);
  if (tail && (rest.startsWith('"') ? rest.lastIndexOf('"') < (tail.index ?? 0) : true)) {
    dcs = Number(tail[1]);
    body = rest.slice(0, tail.index).trim();
  }
  if (body.startsWith('"') && body.endsWith('"') && body.length >= 2) body = body.slice(1, -1);
  return { status, text: decodeUssdText(body, dcs), dcs, raw: line };
}
