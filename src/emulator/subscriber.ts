import { GatewayError } from '../errors.js';
import { decodePackedGsm7 } from '../modem/ussd/decode-ussd.js';
import { textToSeptetGroups } from '../sms/encode-gsm7-text.js';
import { packSeptets } from '../sms/encode-septets.js';
import { bytesToHex, hexToBytes } from '../sms/hex.js';
import { inCharset } from './text-mode.js';
import type { ModemProfileName } from './types.js';

/**
 * The subscriber services of an emulated SIM and its network: what `AT+CNUM` answers (the
 * number stored on the SIM, or nothing, as on most prepaid SIMs) and how the network answers
 * USSD codes (`AT+CUSD`, TS 27.007 §7.15; TS 22.090) — a text after a short delay, a session
 * the network ends (`+CUSD: 2`), or no answer at all.
 */

/** How the network answers one USSD code. */
export type UssdBehaviour =
  /**
   * `+CUSD: 0,"<text>",<dcs>` after the delay: GSM 7-bit (DCS 15) when the text fits the
   * default alphabet, else UCS-2 hex (DCS 72), as operators do for Cyrillic. `encoding` forces one.
   */
  | { kind: 'text'; text: string; encoding?: 'gsm7' | 'ucs2' }
  /** `+CUSD: 2`: the network ended the session without an answer (or with an error). */
  | { kind: 'ended' }
  /** No answer, ever (a lost network reply). */
  | { kind: 'silent' }
  /**
   * `+CUSD: 4`: the network does not know the code, as for any code not listed. Listed, it
   * takes a default code away (the CLI's `--number-ussd` moving the number to another code).
   */
  | { kind: 'not-supported' };

/** How a modem family prints a GSM 7-bit answer: as text, or packed septets in hex (Huawei). */
export type UssdGsm7Form = 'text' | 'packed-hex';

export interface SubscriberOptions {
  /** `AT+CNUM` answers the SIM's number (true) or `OK` alone (false: a prepaid SIM). Default true. */
  storesNumber: boolean;
  /** Answers by code, e.g. `{'*100#': {kind: 'text', text: 'Balance 12.50 rub'}}`. */
  ussd: Readonly<Record<string, UssdBehaviour>>;
  /** Delay of every USSD answer after the `OK`. Default 50 ms. */
  ussdDelayMs: number;
  /** Form of GSM 7-bit answers. Default: packed hex on Huawei profiles, text elsewhere. */
  gsm7Form: UssdGsm7Form;
}

export const DEFAULT_USSD_DELAY_MS = 50;
/** Codes the emulated network knows unless told otherwise (MTS-like: number, balance). */
export const DEFAULT_NUMBER_USSD = '*111*0887#';
export const DEFAULT_BALANCE_USSD = '*100#';

/** Default answers: the number in Russian (UCS-2) and a balance in GSM 7-bit. */
export function defaultUssd(phoneNumber: string): Record<string, UssdBehaviour> {
  return {
    [DEFAULT_NUMBER_USSD]: { kind: 'text', text: `Ваш номер ${phoneNumber}` },
    [DEFAULT_BALANCE_USSD]: { kind: 'text', text: 'Balance: 100.00 rub' },
  };
}

/** The `+CUSD: 0,...` line a modem of this form prints for `text`. */
export function renderUssdText(
  text: string,
  encoding: 'gsm7' | 'ucs2' | undefined,
  form: UssdGsm7Form,
): string {
  const septets = encoding === 'ucs2' ? null : textToSeptetGroups(text);
  if (septets === null) {
    if (encoding === 'gsm7') {
      throw new GatewayError('EMU_BAD_OPTIONS', `USSD text is not GSM 7-bit: ${JSON.stringify(text)}`);
    }
    return `+CUSD: 0,"${inCharset(text, 'UCS2')}",72`;
  }
  if (form === 'text') return `+CUSD: 0,"${text}",15`;
  const flat = septets.flat();
  // 7 spare bits at the end would read as an '@': TS 23.038 §6.1.2.3.1 fills them with a CR.
  if ((flat.length * 7) % 8 === 1) flat.push(0x0d);
  return `+CUSD: 0,"${bytesToHex(packSeptets(flat))}",15`;
}

/** A code sent as packed GSM 7-bit hex (`AA180C3602` -> `*100#`), as Huawei firmware accepts it. */
function unpackCode(code: string): string {
  if (!/^(?:[0-9A-F]{2})+$/i.test(code)) return code;
  return decodePackedGsm7(hexToBytes(code));
}

/** The form a profile's firmware uses (quirks.md §1: Huawei sticks print packed hex). */
export function gsm7FormOf(profile: ModemProfileName): UssdGsm7Form {
  return profile.startsWith('huawei') ? 'packed-hex' : 'text';
}

/** The subscriber side of one emulated modem; its timers end with `cancel()`. */
export class SubscriberServices {
  #options: SubscriberOptions;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: SubscriberOptions) {
    this.#options = options;
  }

  /** A modem's services from its options: defaults, then what the options say. */
  static create(
    options: Partial<SubscriberOptions> | undefined,
    profile: ModemProfileName,
    identity: { phoneNumber: string },
  ): SubscriberServices {
    const { ussd, ...rest } = options ?? {};
    return new SubscriberServices({
      storesNumber: true,
      ussdDelayMs: DEFAULT_USSD_DELAY_MS,
      gsm7Form: gsm7FormOf(profile),
      ...rest,
      ussd: { ...defaultUssd(identity.phoneNumber), ...ussd },
    });
  }

  get options(): Readonly<SubscriberOptions> {
    return this.#options;
  }

  /** Changes what the SIM stores or the network answers from now on. */
  configure(options: Partial<SubscriberOptions>): void {
    this.#options = { ...this.#options, ...options, ussd: { ...this.#options.ussd, ...options.ussd } };
  }

  /** The `+CNUM` line for this SIM, or null when it stores no number. */
  cnumLine(phoneNumber: string): string | null {
    if (!this.#options.storesNumber) return null;
    return `+CNUM: "","${phoneNumber}",${phoneNumber.startsWith('+') ? 145 : 129}`;
  }

  /**
   * Schedules the network's answer to `code` on `send`; an unknown code gets `+CUSD: 4`
   * (operation not supported). A new request ends a pending one, as a network session would.
   */
  request(code: string, send: (line: string) => void): void {
    this.cancel();
    const behaviour = this.#options.ussd[code] ?? this.#options.ussd[unpackCode(code)];
    let line: string | null;
    if (behaviour === undefined || behaviour.kind === 'not-supported') line = '+CUSD: 4';
    else if (behaviour.kind === 'silent') line = null;
    else if (behaviour.kind === 'ended') line = '+CUSD: 2';
    else line = renderUssdText(behaviour.text, behaviour.encoding, this.#options.gsm7Form);
    if (line === null) return;
    const answer = line;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      send(answer);
    }, this.#options.ussdDelayMs);
    timer.unref?.();
    this.#timers.add(timer);
  }

  /** Ends any pending answer (`AT+CUSD=2`, a reboot, dispose). */
  cancel(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
