import type { AtCommander, AtResponse } from '../at/types.js';
import { call, isOk } from './at-call.js';
import { type CmglSkipped, parseCmglPdu } from './parsers/parse-cmgl.js';
import { parseCmgrPdu } from './parsers/parse-cmgr.js';
import { isSimBusy } from './profiles/profile.js';
import type { SmsSettings } from './sms-setup.js';
import { listTextMode, readTextMode, type TextModeOptions } from './text-mode.js';
import type { TextModeSms } from './types.js';

/** A message as it sits in modem storage. */
export interface StoredMessage {
  index: number;
  status: number | null;
  pdu: string | null;
  textMode: TextModeSms | null;
}

export interface StorageListing {
  response: AtResponse;
  messages: StoredMessage[];
  skipped: CmglSkipped[];
}

type Mode = Pick<SmsSettings, 'mode' | 'charset' | 'csdh'>;

function textOptions(mode: Mode): TextModeOptions {
  return { charset: mode.charset ?? 'GSM', csdh: mode.csdh };
}

/**
 * Lists every stored message, read or not, received or sent (TS 27.005 §3.4.2:
 * `AT+CMGL=4` in PDU mode, `AT+CMGL="ALL"` in text mode), so nothing clogs the storage.
 */
export async function listStored(at: AtCommander, mode: Mode, timeoutMs?: number): Promise<StorageListing> {
  const command = mode.mode === 'pdu' ? 'AT+CMGL=4' : 'AT+CMGL="ALL"';
  const response = await call(at, command, { expect: ['+CMGL:'], multiline: true, timeoutMs });
  if (!isOk(response)) return { response, messages: [], skipped: [] };
  if (mode.mode === 'pdu') {
    const listing = parseCmglPdu(response.lines);
    return {
      response,
      messages: listing.entries.map((e) => ({
        index: e.index,
        status: e.status,
        pdu: e.pdu,
        textMode: null,
      })),
      skipped: listing.skipped,
    };
  }
  const listing = listTextMode(response.lines, textOptions(mode));
  return {
    response,
    messages: listing.entries.map((e) => ({ index: e.index, status: e.status, pdu: null, textMode: e.sms })),
    skipped: listing.invalid.flatMap((bad) =>
      bad.index === null ? [] : [{ index: bad.index, reason: 'unreadable' as const, line: bad.header }],
    ),
  };
}

/** What one `AT+CMGR` found: the message, nothing usable, or a SIM too busy to say. */
export type StoredRead = { kind: 'message'; message: StoredMessage } | { kind: 'empty' } | { kind: 'busy' };

/**
 * Reads one stored message (`AT+CMGR`, TS 27.005 §3.4.3). `empty` covers an empty slot and any
 * other refusal; `busy` is `+CMS ERROR: 314` / `+CME ERROR: 14`, worth reading again shortly.
 */
export async function readStored(
  at: AtCommander,
  index: number,
  mode: Mode,
  timeoutMs?: number,
): Promise<StoredRead> {
  const response = await call(at, `AT+CMGR=${index}`, { expect: ['+CMGR:'], multiline: true, timeoutMs });
  if (isSimBusy(response.final)) return { kind: 'busy' };
  if (!isOk(response)) return { kind: 'empty' };
  let message: StoredMessage | null = null;
  if (mode.mode === 'pdu') {
    const pdu = parseCmgrPdu(response.lines);
    if (pdu) message = { index, status: pdu.status, pdu: pdu.pdu, textMode: null };
  } else {
    const entry = readTextMode(response.lines, textOptions(mode));
    if (entry) message = { index, status: entry.status, pdu: null, textMode: entry.sms };
  }
  return message ? { kind: 'message', message } : { kind: 'empty' };
}

/** Deletes one stored message (`AT+CMGD=<index>`, TS 27.005 §3.5.4). */
export function deleteStored(at: AtCommander, index: number, timeoutMs?: number): Promise<AtResponse> {
  return call(at, `AT+CMGD=${index}`, { timeoutMs });
}
