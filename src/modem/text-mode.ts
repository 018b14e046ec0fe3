import {
  groupCmglLines,
  parseCmglText,
  parseCmgrText,
  type TextModeCharset,
} from '../sms/text-mode/index.js';
import type { TextModeSms } from './types.js';

/**
 * Glue between the driver and the codec's text-mode parsers (TS 27.005 §3.4.2/§3.4.3), used
 * only when a modem refuses PDU mode. Malformed entries are reported, never thrown, so one bad
 * entry does not cost its neighbours.
 */

export interface TextModeOptions {
  charset: TextModeCharset;
  /** `AT+CSDH=1` took: headers carry the detailed fields. */
  csdh: boolean;
}

export interface TextModeEntry {
  index: number;
  status: number | null;
  sms: TextModeSms;
}

export interface TextModeListing {
  entries: TextModeEntry[];
  /** Header lines (or groups) the codec could not read, kept for the log. */
  invalid: Array<{ index: number | null; header: string; error: unknown }>;
}

/** Parses a whole `AT+CMGL="ALL"` text-mode answer. */
export function listTextMode(lines: readonly string[], options: TextModeOptions): TextModeListing {
  const listing: TextModeListing = { entries: [], invalid: [] };
  let groups: Array<{ header: string; body: string[] }>;
  try {
    groups = groupCmglLines(lines);
  } catch {
    // Noise before the first header: drop the lines before it and group the rest.
    const first = lines.findIndex((line) => line.startsWith('+CMGL:'));
    groups = first < 0 ? [] : groupCmglLines(lines.slice(first));
  }
  for (const group of groups) {
    try {
      const entry = parseCmglText(group.header, group.body, options);
      listing.entries.push({ index: entry.index, status: entry.status, sms: entry.sms });
    } catch (error) {
      const index = /^\+CMGL:\s*(\d+)/.exec(group.header)?.[1];
      listing.invalid.push({
        index: index === undefined ? null : Number(index),
        header: group.header,
        error,
      });
    }
  }
  return listing;
}

/** Parses a text-mode `+CMGR` answer; null for an empty slot or an unreadable entry. */
export function readTextMode(
  lines: readonly string[],
  options: TextModeOptions,
): { status: number | null; sms: TextModeSms } | null {
  const at = lines.findIndex((line) => line.startsWith('+CMGR:'));
  if (at < 0) return null;
  try {
    const read = parseCmgrText(lines[at] ?? '', lines.slice(at + 1), options);
    return { status: read.status, sms: read.sms };
  } catch {
    return null;
  }
}

/**
 * Parses a text-mode `+CMT: <oa>,[<alpha>],<scts>[,<tooa>,…]` and its body. The header is the
 * `+CMGR` header without `<stat>` (TS 27.005 §3.4.1 vs §3.4.3), so it is read as one.
 */
export function parseCmtTextMode(lines: readonly string[], options: TextModeOptions): TextModeSms | null {
  const header = lines[0] ?? '';
  if (!header.startsWith('+CMT:')) return null;
  const asCmgr = `+CMGR: "REC UNREAD",${header.slice('+CMT:'.length).trim()}`;
  try {
    return parseCmgrText(asCmgr, lines.slice(1), options).sms;
  } catch {
    return null;
  }
}
