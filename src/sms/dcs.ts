import type { SmsEncoding } from './types.js';

/** Coding groups of TP-DCS, TS 23.038 §4 (bits 7..4). */
export type DcsGroup =
  | 'general'
  | 'automatic-deletion'
  | 'reserved'
  | 'message-waiting-discard'
  | 'message-waiting-store'
  | 'data-coding-class';

/** Message waiting indication carried by coding groups 1100-1110 (TS 23.038 §4). */
export interface MessageWaiting {
  /** Bit 3: the indication is set (true) or cleared (false). */
  active: boolean;
  kind: 'voicemail' | 'fax' | 'email' | 'other';
}

/** What a TP-DCS octet says about the user data (TS 23.038 §4). */
export interface DataCoding {
  group: DcsGroup;
  encoding: SmsEncoding;
  /** Message class 0-3 when the DCS carries one, else null. */
  messageClass: 0 | 1 | 2 | 3 | null;
  /** Text compressed per TS 23.042 (general and automatic-deletion groups, bit 5). */
  compressed: boolean;
  messageWaiting: MessageWaiting | null;
}

const ALPHABETS: readonly SmsEncoding[] = ['gsm7', '8bit', 'ucs2', 'gsm7'];
const WAITING_KINDS: ReadonlyArray<MessageWaiting['kind']> = ['voicemail', 'fax', 'email', 'other'];

function classBits(dcs: number): 0 | 1 | 2 | 3 {
  return (dcs & 0x03) as 0 | 1 | 2 | 3;
}

/**
 * General data coding (00xx) and automatic deletion (01xx) groups share one layout: bit 5
 * compressed, bit 4 "bits 1..0 carry a class", bits 3..2 the alphabet. The reserved alphabet 11
 * is read as the GSM 7-bit default alphabet, as TS 23.038 §4 tells receivers to do with any
 * reserved coding.
 */
function generalLayout(dcs: number, group: DcsGroup): DataCoding {
  return {
    group,
    encoding: ALPHABETS[(dcs >> 2) & 0x03] ?? 'gsm7',
    messageClass: (dcs & 0x10) !== 0 ? classBits(dcs) : null,
    compressed: (dcs & 0x20) !== 0,
    messageWaiting: null,
  };
}

function messageWaiting(dcs: number, group: DcsGroup, encoding: SmsEncoding): DataCoding {
  const kind = WAITING_KINDS[dcs & 0x03] ?? 'other';
  return {
    group,
    encoding,
    messageClass: null,
    compressed: false,
    messageWaiting: { active: (dcs & 0x08) !== 0, kind },
  };
}

/**
 * Interprets a TP-DCS octet for SMS (TS 23.038 §4, TS 23.040 §9.2.3.10):
 * - `00xx` general data coding and `01xx` automatic deletion: see the layout above;
 * - `1000`-`1011` reserved groups: GSM 7-bit default alphabet, no class (the §4 rule for
 *   reserved codings);
 * - `1100` message waiting, discard message: GSM 7-bit (the text may be shown, then dropped);
 * - `1101` message waiting, store message: GSM 7-bit; `1110` the same in UCS-2;
 * - `1111` data coding / message class: bit 2 selects GSM 7-bit or 8-bit, bits 1..0 the class
 *   (bit 3 is reserved and ignored).
 * Pure and total: every octet 0-255 yields a value.
 */
export function parseDataCodingScheme(dcs: number): DataCoding {
  return DCS_TABLE[dcs & 0xff] ?? interpret(dcs & 0xff);
}

function interpret(dcs: number): DataCoding {
  const group = (dcs >> 4) & 0x0f;
  if (group <= 0x03) return generalLayout(dcs, 'general');
  if (group <= 0x07) return generalLayout(dcs, 'automatic-deletion');
  if (group <= 0x0b) {
    return {
      group: 'reserved',
      encoding: 'gsm7',
      messageClass: null,
      compressed: false,
      messageWaiting: null,
    };
  }
  if (group === 0x0c) return messageWaiting(dcs, 'message-waiting-discard', 'gsm7');
  if (group === 0x0d) return messageWaiting(dcs, 'message-waiting-store', 'gsm7');
  if (group === 0x0e) return messageWaiting(dcs, 'message-waiting-store', 'ucs2');
  return {
    group: 'data-coding-class',
    encoding: (dcs & 0x04) !== 0 ? '8bit' : 'gsm7',
    messageClass: classBits(dcs),
    compressed: false,
    messageWaiting: null,
  };
}

/** Every octet interpreted once, frozen: the decoders look the DCS up instead of re-parsing it. */
const DCS_TABLE: readonly DataCoding[] = Array.from({ length: 256 }, (_, dcs) => {
  const coding = interpret(dcs);
  if (coding.messageWaiting !== null) Object.freeze(coding.messageWaiting);
  return Object.freeze(coding);
});
