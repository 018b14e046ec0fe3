import { afterPrefix, splitFields, toInt } from './parsers/fields.js';
import type { TextModeSms } from './types.js';

/**
 * Text-mode (`AT+CMGF=1`) listings, TS 27.005 §3.4.2/§3.4.3 with `AT+CSDH=1`. Only used when a
 * modem refuses PDU mode. Bodies and addresses arrive hex-encoded under `AT+CSCS="UCS2"`.
 */

const STATUS: Record<string, number> = { 'REC UNREAD': 0, 'REC READ': 1, 'STO UNSENT': 2, 'STO SENT': 3 };

export interface TextModeEntry {
  index: number | null;
  status: number | null;
  sms: TextModeSms;
}

/** Decodes a UCS2 hex string (UTF-16BE, surrogates joined); other text is returned as is. */
export function decodeCharset(text: string, charset: 'UCS2' | 'GSM' | null): string {
  if (charset !== 'UCS2' || text.length % 4 !== 0 || !/^[0-9A-Fa-f]*$/.test(text)) return text;
  const units: number[] = [];
  for (let i = 0; i < text.length; i += 4) units.push(Number.parseInt(text.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

function toIsoTimestamp(scts: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-])(\d{1,2})$/.exec(scts.trim());
  if (!m) return null;
  const quarters = Number(m[8]);
  const hh = String(Math.floor(quarters / 4)).padStart(2, '0');
  const mm = String((quarters % 4) * 15).padStart(2, '0');
  return `20${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7]}${hh}:${mm}`;
}

function senderTypeOf(sender: string, toa: number | null): TextModeSms['senderType'] {
  if (toa !== null && (toa & 0x70) === 0x50) return 'alphanumeric';
  if (toa === 145 || sender.startsWith('+')) return 'international';
  if (toa !== null && (toa & 0x70) === 0x20) return 'national';
  if (/[^0-9+*#]/.test(sender)) return 'alphanumeric';
  return 'unknown';
}

function entry(
  fields: ReturnType<typeof splitFields>,
  offset: number,
  body: string,
  charset: 'UCS2' | 'GSM' | null,
): Omit<TextModeEntry, 'index'> {
  const status = STATUS[(fields[offset]?.value ?? '').toUpperCase()] ?? toInt(fields[offset]?.value);
  const sender = decodeCharset(fields[offset + 1]?.value ?? '', charset);
  const alpha = fields[offset + 2]?.value ? decodeCharset(fields[offset + 2]?.value ?? '', charset) : null;
  const scts = fields[offset + 3]?.value ?? '';
  const toa = toInt(fields[offset + 4]?.value);
  return {
    status: status ?? null,
    sms: {
      sender,
      senderType: senderTypeOf(sender, toa),
      text: decodeCharset(body, charset),
      rawBody: body,
      timestamp: toIsoTimestamp(scts),
      alpha,
    },
  };
}

/** Parses `+CMGL: <index>,<stat>,<oa>,[<alpha>],[<scts>][,<tooa>,<length>]` + body lines. */
export function parseCmglText(lines: readonly string[], charset: 'UCS2' | 'GSM' | null): TextModeEntry[] {
  const entries: TextModeEntry[] = [];
  let i = 0;
  while (i < lines.length) {
    const body = afterPrefix(lines[i] ?? '', '+CMGL:');
    i += 1;
    if (body === null) continue;
    const bodyLines: string[] = [];
    while (i < lines.length && afterPrefix(lines[i] ?? '', '+CMGL:') === null) {
      bodyLines.push(lines[i] ?? '');
      i += 1;
    }
    const fields = splitFields(body);
    const index = toInt(fields[0]?.value);
    if (index === null) continue;
    entries.push({ index, ...entry(fields, 1, bodyLines.join('\n'), charset) });
  }
  return entries;
}

/** Parses `+CMGR: <stat>,<oa>,[<alpha>],<scts>[,<tooa>,…]` + body; null for an empty slot. */
export function parseCmgrText(
  lines: readonly string[],
  charset: 'UCS2' | 'GSM' | null,
): TextModeEntry | null {
  const at = lines.findIndex((line) => afterPrefix(line, '+CMGR:') !== null);
  if (at < 0) return null;
  const fields = splitFields(afterPrefix(lines[at] ?? '', '+CMGR:') ?? '');
  return { index: null, ...entry(fields, 0, lines.slice(at + 1).join('\n'), charset) };
}

/** Parses a text-mode `+CMT: <oa>,[<alpha>],<scts>[,<tooa>,…]` header and its body line. */
export function parseCmtText(lines: readonly string[], charset: 'UCS2' | 'GSM' | null): TextModeSms | null {
  const header = afterPrefix(lines[0] ?? '', '+CMT:');
  if (header === null) return null;
  return entry(splitFields(header), -1, lines.slice(1).join('\n'), charset).sms;
}
