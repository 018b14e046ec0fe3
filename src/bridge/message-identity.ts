import { createHash } from 'node:crypto';
import type { ReceivedSms } from '../modem/types.js';

/**
 * The key a message's SIM is known by in the store: the ICCID (printed on the card, survives a
 * move to another modem), else `imsi:<imsi>`, else `port:<port>` for a modem that reports neither.
 */
export function simKeyOf(sms: Pick<ReceivedSms, 'iccid' | 'imsi' | 'port'>): string {
  if (sms.iccid) return sms.iccid;
  if (sms.imsi) return `imsi:${sms.imsi}`;
  return `port:${sms.port}`;
}

/**
 * The dedupe key: SHA-256 over the SIM key and the message content as read (the PDU hex,
 * uppercased, SMSC field included; in text mode the sender, time stamp and raw body), never the
 * storage index. The same stored message read again after a crash between commit and `+CMGD`
 * (possibly at another index after the modem compacted its storage) maps to the same key, so it
 * is recognised as already stored. Two genuinely different SMS differ at least in their TP-SCTS
 * time stamp or their content; identical ones from the same sender in the same second are treated
 * as one.
 */
export function dedupeKeyOf(simKey: string, sms: Pick<ReceivedSms, 'pdu' | 'textMode'>): string {
  const hash = createHash('sha256');
  hash.update(simKey);
  hash.update('\n');
  if (sms.pdu !== null) {
    hash.update(`pdu:${sms.pdu.trim().toUpperCase()}`);
  } else if (sms.textMode !== null) {
    const { sender, timestamp, rawBody } = sms.textMode;
    hash.update(`text:${JSON.stringify([sender, timestamp, rawBody])}`);
  } else {
    hash.update('empty');
  }
  return hash.digest('hex');
}
