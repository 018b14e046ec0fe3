import type { SmsDeliver } from './types.js';

/** The `simbridge decode` output object, CONTRACT.md §1, keys in the contract's order. */
export interface DecodeJson {
  sender: string;
  senderType: SmsDeliver['senderType'];
  text: string;
  encoding: SmsDeliver['encoding'];
  timestamp: string;
  smsc: string | null;
  concat: { ref: number; total: number; seq: number } | null;
  class: 0 | 1 | 2 | 3 | null;
}

/**
 * Maps a decoded SMS-DELIVER to the JSON object `simbridge decode` prints (CONTRACT.md §1).
 * Keys are created in the contract's order so `JSON.stringify` prints them that way.
 */
export function toDecodeJson(deliver: SmsDeliver): DecodeJson {
  const { concat } = deliver;
  return {
    sender: deliver.sender,
    senderType: deliver.senderType,
    text: deliver.text,
    encoding: deliver.encoding,
    timestamp: deliver.timestamp,
    smsc: deliver.smsc,
    concat: concat === null ? null : { ref: concat.reference, total: concat.total, seq: concat.sequence },
    class: deliver.messageClass,
  };
}
