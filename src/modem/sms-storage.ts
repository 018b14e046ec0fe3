import type { AtCommander, AtResponse } from '../at/types.js';
import { call, isOk } from './at-call.js';
import { type CmglSkipped, parseCmglPdu } from './parsers/parse-cmgl.js';
import { parseCmgrPdu } from './parsers/parse-cmgr.js';
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

/** Reads one stored message (`AT+CMGR`, TS 27.005 §3.4.3); null when the slot is empty. */
export async function readStored(
  at: AtCommander,
  index: number,
  mode: Mode,
  timeoutMs?: number,
): Promise<StoredMessage | null> {
  const response = await call(at, `AT+CMGR=${index}`, { expect: ['+CMGR:'], multiline: true, timeoutMs });
  if (!isOk(response)) return null;
  if (mode.mode === 'pdu') {
    const message = parseCmgrPdu(response.lines);
    return message ? { index, status: message.status, pdu: message.pdu, textMode: null } : null;
  }
  const entry = readTextMode(response.lines, textOptions(mode));
  return entry ? { index, status: entry.status, pdu: null, textMode: entry.sms } : null;
}

/** Deletes one stored message (`AT+CMGD=<index>`, TS 27.005 §3.5.4). */
export function deleteStored(at: AtCommander, index: number, timeoutMs?: number): Promise<AtResponse> {
  return call(at, `AT+CMGD=${index}`, { timeoutMs });
}
