import { TEXT_STATUS } from './commands/context.js';
import { tpduLength } from './commands/sms.js';
import { summarizePdu } from './pdu-summary.js';
import type { StoredMessage } from './types.js';

/** The text-mode settings that shape what the host sees (TS 27.005 §3.3). */
export interface TextModeSettings {
  messageFormat: 0 | 1;
  charset: string;
  showTextHeader: boolean;
}

/** Text mode prints bodies in the TE character set (+CSCS, TS 27.007 §5.5): UCS2 as hex. */
export function inCharset(text: string, charset: string): string {
  if (charset !== 'UCS2') return text;
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return hex;
}

/** `+CMGR: <stat>,<oa>,,<scts>` or `+CMGL: <i>,<stat>,<oa>,,<scts>` (+ `<tooa>,<length>` with CSDH=1). */
export function renderTextModeMessage(
  settings: TextModeSettings,
  message: StoredMessage,
  listIndex: number | null,
): { header: string; body: string } {
  const summary = summarizePdu(message.pdu);
  const status = TEXT_STATUS[message.status];
  const sender = summary?.sender ?? '';
  const scts = summary?.scts ?? '';
  const extra = settings.showTextHeader
    ? `,${summary?.senderToa ?? 129},${summary ? summary.body.length : 0}`
    : '';
  const header =
    listIndex === null
      ? `+CMGR: "${status}","${sender}",,"${scts}"${extra}`
      : `+CMGL: ${listIndex},"${status}","${sender}",,"${scts}"${extra}`;
  return { header, body: summary ? inCharset(summary.body, settings.charset) : message.pdu };
}

/** `+CMT: ,<len>` + PDU (TS 27.005 §3.4.1, PDU mode) or `+CMT: <oa>,,<scts>` + text. */
export function renderDirectDelivery(settings: TextModeSettings, pdu: string): string {
  if (settings.messageFormat === 1) {
    const summary = summarizePdu(pdu);
    const header = `+CMT: "${summary?.sender ?? ''}",,"${summary?.scts ?? ''}"`;
    return `\r\n${header}\r\n${summary ? inCharset(summary.body, settings.charset) : pdu}\r\n`;
  }
  return `\r\n+CMT: ,${tpduLength(pdu)}\r\n${pdu}\r\n`;
}
