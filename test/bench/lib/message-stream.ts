import { createRandom } from '../../../src/emulator/identity.js';
import { encodeSmsDeliver } from '../../../src/sms/encode-deliver.js';

/**
 * The messages a benchmark or chaos run injects: a reproducible mix of single and multipart,
 * GSM 7-bit and UCS-2 SMS-DELIVERs, each carrying a unique tag (`[k123]`) at the start of its
 * text so the push that reaches the server can be matched to it.
 */

export type ReferenceMode = 'per-sender' | 'colliding';

export type MessageKind =
  | 'gsm7'
  | 'ucs2'
  | 'gsm7-multipart'
  | 'ucs2-multipart'
  /** A single SMS filled to the brim: 160 GSM 7-bit characters, or 70 UCS-2 ones. */
  | 'gsm7-160'
  | 'ucs2-70';

/** Full single SMS, GSM 7-bit then UCS-2, in turn: the stream the latency target is set on. */
export const FULL_SINGLES: readonly MessageKind[] = ['gsm7-160', 'ucs2-70'];

export interface StreamMessage {
  /** Unique key, also the tag in the text. */
  key: number;
  kind: MessageKind;
  slot: number;
  sender: string;
  text: string;
  /** SMS-DELIVER PDUs with the SMSC field, in arrival order. */
  pdus: string[];
}

/** Share of each kind in the mix (sums to 1). */
export const DEFAULT_MIX: Readonly<Partial<Record<MessageKind, number>>> = {
  gsm7: 0.6,
  ucs2: 0.15,
  'gsm7-multipart': 0.15,
  'ucs2-multipart': 0.1,
};

const GSM7_BODY = 'Your verification code is 480213. Do not share it with anyone.';
const UCS2_BODY = 'Ваш код подтверждения: 480213. Никому его не сообщайте.';
const GSM7_LONG =
  'Your verification code is 480213. This code expires in 10 minutes. If you did not request it, ' +
  'ignore this message and review the security settings of your account; someone may know your password.';
const UCS2_LONG =
  'Ваш код подтверждения: 480213. Код действует 10 минут. Если вы не запрашивали код, проигнорируйте ' +
  'это сообщение.';

/**
 * Characters of a full single SMS of each alphabet (TS 23.038: 160 septets, 70 UCS-2 units). The
 * tag's brackets are GSM 7-bit extension characters, two septets each: 158 characters fill 160.
 */
const FULL_LENGTH = { 'gsm7-160': 158, 'ucs2-70': 70 } as const;

const TAG = /\[k(\d+)\]/;

/** The key in a pushed text (wherever the tag is: parts joined out of order move it), or null. */
export function keyOfText(text: string): number | null {
  const match = TAG.exec(text);
  return match ? Number(match[1]) : null;
}

/** Mulberry32, the emulator's seeded generator: the same seed gives the same run. */
export const seededRandom: (seed: number) => () => number = createRandom;

export class MessageFactory {
  readonly #random: () => number;
  readonly #mix: Readonly<Partial<Record<MessageKind, number>>>;
  #nextKey = 1;
  /** Concatenation reference per SIM and sender: a sender numbers its messages 0, 1, 2, ... */
  readonly #nextReference = new Map<string, number>();

  readonly #references: ReferenceMode;

  /**
   * `references`: `per-sender` (default) numbers each sender's messages to a SIM 0, 1, 2, ... as
   * phones and SMSCs do; `colliding` takes the low 8 bits of the key, so one sender reuses a
   * reference to the same SIM every few hundred messages (stress for multipart grouping).
   */
  constructor(
    seed = 7,
    mix: Readonly<Partial<Record<MessageKind, number>>> = DEFAULT_MIX,
    references: ReferenceMode = 'per-sender',
  ) {
    this.#random = seededRandom(seed);
    this.#mix = mix;
    this.#references = references;
  }

  /** A fresh message for `slot`, kind drawn from the mix unless given. */
  next(slot: number, kind: MessageKind = this.#pickKind()): StreamMessage {
    const key = this.#nextKey++;
    const tag = `[k${key}] `;
    const multipart = kind.endsWith('multipart');
    const ucs2 = kind.startsWith('ucs2');
    const body = ucs2 ? (multipart ? UCS2_LONG : UCS2_BODY) : multipart ? GSM7_LONG : GSM7_BODY;
    const text =
      kind === 'gsm7-160' || kind === 'ucs2-70'
        ? (tag + (ucs2 ? UCS2_LONG : GSM7_LONG)).slice(0, FULL_LENGTH[kind])
        : tag + body;
    const sender = key % 3 === 0 ? 'Instagram' : `+7916${String(1_000_000 + (key % 9_000_000)).slice(-7)}`;
    const senderKey = `${slot}|${sender}`;
    const perSender = this.#nextReference.get(senderKey) ?? 0;
    this.#nextReference.set(senderKey, (perSender + 1) & 0xff);
    const reference = this.#references === 'colliding' ? key & 0xff : perSender;
    const pdus = encodeSmsDeliver({
      sender,
      text,
      encoding: ucs2 ? 'ucs2' : 'gsm7',
      timestamp: new Date(),
      smsc: '+79000000000',
      reference,
    });
    return { key, kind, slot, sender, text, pdus };
  }

  #pickKind(): MessageKind {
    let roll = this.#random();
    for (const [kind, share] of Object.entries(this.#mix) as [MessageKind, number][]) {
      roll -= share;
      if (roll < 0) return kind;
    }
    return 'gsm7';
  }
}
