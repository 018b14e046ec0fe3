import { lookupErrorCodeByName } from '../error-codes.js';
import type { FinalResult } from '../types.js';

/**
 * Code used in a `cme`/`cms` result when the modem answered in text form (`AT+CMEE=2`) with a
 * text this product does not know the number of.
 */
export const UNKNOWN_ERROR_CODE = -1;

/**
 * Final result codes that are not `OK`/`ERROR`/`+CME`/`+CMS` but still end a command.
 * V.250 §5.7.1 dial results, and Huawei's answers to commands it does not implement
 * (E173/E3372 firmware: `COMMAND NOT SUPPORT`, `TOO MANY PARAMETERS`).
 */
const VENDOR_FINALS: ReadonlySet<string> = new Set([
  'COMMAND NOT SUPPORT',
  'TOO MANY PARAMETERS',
  'NO CARRIER',
  'NO DIALTONE',
  'NO ANSWER',
  'BUSY',
]);

const EXTENDED_ERROR = /^\+(CME|CMS) ERROR:\s*(.*)$/i;

/**
 * Classifies one line as a final result (TS 27.007 §4.1 and §9.2, TS 27.005 §3.2.5), or
 * returns null for any other line.
 *
 * - `OK` → `{ kind: 'ok' }`, `ERROR` → `{ kind: 'error' }`
 * - `+CME ERROR: 14` → `{ kind: 'cme', code: 14 }`
 * - `+CME ERROR: SIM busy` (`AT+CMEE=2`) → `{ kind: 'cme', code: 14, text: 'SIM busy' }`;
 *   an unknown text gets code {@link UNKNOWN_ERROR_CODE}
 * - `+CMS ERROR: 314` → `{ kind: 'cms', code: 314 }` (same text rules)
 * - `COMMAND NOT SUPPORT`, `TOO MANY PARAMETERS`, `NO CARRIER`, … → `{ kind: 'vendor-error' }`
 *
 * Surrounding blanks are ignored; keywords match case-insensitively.
 */
export function classifyFinalResult(line: string): FinalResult | null {
  const trimmed = line.trim();
  const upper = trimmed.toUpperCase();
  if (upper === 'OK') return { kind: 'ok' };
  if (upper === 'ERROR') return { kind: 'error' };
  if (VENDOR_FINALS.has(upper)) return { kind: 'vendor-error', text: trimmed };
  const match = EXTENDED_ERROR.exec(trimmed);
  if (match === null) return null;
  const kind = match[1]?.toUpperCase() === 'CME' ? 'cme' : 'cms';
  const detail = (match[2] ?? '').trim();
  if (/^\d+$/.test(detail)) return { kind, code: Number.parseInt(detail, 10) };
  const code = lookupErrorCodeByName(kind, detail) ?? UNKNOWN_ERROR_CODE;
  return { kind, code, text: detail };
}

/** A short human form of a final result for messages and logs, e.g. `+CMS ERROR: 314 (SIM busy)`. */
export function describeFinalResult(result: FinalResult): string {
  switch (result.kind) {
    case 'ok':
      return 'OK';
    case 'error':
      return 'ERROR';
    case 'vendor-error':
      return result.text;
    case 'cme':
    case 'cms':
      return `+${result.kind.toUpperCase()} ERROR: ${result.code}${result.text ? ` (${result.text})` : ''}`;
  }
}
