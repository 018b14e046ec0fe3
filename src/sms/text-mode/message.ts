/**
 * Whole text-mode messages: a `+CMGR`/`+CMGL` header line and the body line(s) after it,
 * decoded into the {@link TextModeSms} the store keeps (TS 27.005 §3.4.2 / §3.4.3).
 */
import type { TextModeSms } from '../../modem/types.js';
import { decodeTextModeBody, type TextModeCharset } from './charset.js';
import {
  type CmglTextHeader,
  parseCmglTextHeader,
  parseCmgrTextHeader,
  type TextHeaderOptions,
  type TextModeHeader,
} from './header.js';
import { TextModeError } from './text-mode-error.js';

export interface TextMessageOptions extends TextHeaderOptions {
  /** `AT+CSCS` in effect. Default `GSM`. */
  charset?: TextModeCharset;
}

/** A text-mode `+CMGR` entry. */
export interface TextModeRead {
  status: number | null;
  header: TextModeHeader;
  sms: TextModeSms;
}

/** A text-mode `+CMGL` entry. */
export interface TextModeListed extends TextModeRead {
  index: number;
  header: CmglTextHeader;
}

/**
 * The body as one string. A text body that spans lines had line breaks the line reader removed;
 * they come back as `\n`. A UCS2 body is hex and has no line breaks of its own, so its lines are
 * joined without a separator (some firmware wraps long hex).
 */
export function joinBodyLines(lines: readonly string[], charset: TextModeCharset): string {
  return lines.join(charset === 'UCS2' ? '' : '\n');
}

function toSms(header: TextModeHeader, bodyLines: readonly string[], charset: TextModeCharset): TextModeSms {
  const rawBody = joinBodyLines(bodyLines, charset);
  return {
    sender: header.address,
    senderType: header.addressType,
    // Spaces are text in GSM/IRA; around UCS2 hex they are line noise.
    text: decodeTextModeBody(charset === 'UCS2' ? rawBody.trim() : rawBody, charset),
    rawBody,
    timestamp: header.timestamp,
    alpha: header.alpha,
  };
}

/**
 * Parses a text-mode `+CMGR` reply: header line, then the body lines up to (not including) `OK`.
 *
 * @throws TextModeError `SMS_TEXT_INVALID` for a malformed header or a UCS2 body that is not hex;
 *   `SMS_TEXT_UNSUPPORTED` for a status report.
 */
export function parseCmgrText(
  headerLine: string,
  bodyLines: readonly string[],
  options: TextMessageOptions,
): TextModeRead {
  const charset = options.charset ?? 'GSM';
  const header = parseCmgrTextHeader(headerLine, { ...options, charset });
  return { status: header.status, header, sms: toSms(header, bodyLines, charset) };
}

/** Parses one text-mode `+CMGL` entry: its header line and the body lines that follow it. */
export function parseCmglText(
  headerLine: string,
  bodyLines: readonly string[],
  options: TextMessageOptions,
): TextModeListed {
  const charset = options.charset ?? 'GSM';
  const header = parseCmglTextHeader(headerLine, { ...options, charset });
  return { index: header.index, status: header.status, header, sms: toSms(header, bodyLines, charset) };
}

/**
 * Splits the lines of a whole `AT+CMGL` text-mode reply (final `OK` removed) into entries: each
 * `+CMGL:` line starts one, the lines up to the next `+CMGL:` are its body.
 *
 * @throws TextModeError `SMS_TEXT_INVALID` for a non-empty line before the first header.
 */
export function groupCmglLines(lines: readonly string[]): Array<{ header: string; body: string[] }> {
  const entries: Array<{ header: string; body: string[] }> = [];
  for (const line of lines) {
    const current = entries.at(-1);
    if (line.startsWith('+CMGL:')) entries.push({ header: line, body: [] });
    else if (current !== undefined) current.body.push(line);
    else if (line.trim() !== '')
      throw new TextModeError('SMS_TEXT_INVALID', 'body line before the first +CMGL header', 0);
  }
  return entries;
}
