import type { AtCommander } from '../../at/types.js';
import { GatewayError } from '../../errors.js';
import { textToSeptetGroups } from '../../sms/encode-gsm7-text.js';
import { packSeptets } from '../../sms/encode-septets.js';
import { bytesToHex } from '../../sms/hex.js';
import { describeFinal } from '../at-call.js';
import { cusdContinues, parseCusd, type UssdReply } from './parse-cusd.js';

/** Longest wait for the network's `+CUSD` answer by default. Operators answer within seconds. */
export const DEFAULT_USSD_TIMEOUT_MS = 30_000;
/** Deadline of the `AT+CUSD` command itself (the modem's `OK`, not the network's answer). */
const CUSD_COMMAND_TIMEOUT_MS = 5_000;

/** A USSD code as dialled: digits, `*`, `#` and `+`, e.g. `*100#`. */
const USSD_CODE = /^[0-9*#+]{2,64}$/;

export type UssdErrorCode =
  | 'MODEM_USSD_INVALID_CODE'
  | 'MODEM_USSD_NO_PORT'
  | 'MODEM_USSD_REFUSED'
  | 'MODEM_USSD_TIMEOUT';

/** A USSD request that got no usable answer; `code` says why. */
export class UssdError extends GatewayError {
  declare readonly code: UssdErrorCode;
  constructor(code: UssdErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, { context });
  }
}

export interface UssdRequestOptions {
  /** Wait for the network's answer at most this long. Default {@link DEFAULT_USSD_TIMEOUT_MS}. */
  timeoutMs?: number;
}

interface Pending {
  deliver(reply: UssdReply): void;
}

/**
 * USSD over one modem's AT engine (TS 27.007 §7.15). One request at a time per modem (a
 * network keeps one USSD session per subscriber); the `AT+CUSD` command goes out at background
 * priority, so SMS work queued meanwhile is written first, and the wait for the network's
 * `+CUSD` answer holds no command slot at all: a USSD that never answers delays no SMS. After a
 * timeout or a menu answer the session is closed with `AT+CUSD=2`.
 */
export class UssdSession {
  #pending: Pending | null = null;
  #tail: Promise<unknown> = Promise.resolve();

  /** Routes `+CUSD` lines of this port to the waiting request; returns the unregister function. */
  listen(at: AtCommander): () => void {
    return at.addUrcHandler({
      name: 'cusd',
      match: (line) => line.startsWith('+CUSD:'),
      // A text with line breaks reaches the engine as several lines: all of them are this URC.
      continues: cusdContinues,
      handle: (lines) => {
        const reply = parseCusd(lines);
        // An answer nobody waits for (a late one after a timeout) is dropped here, not left to
        // be taken as an information line of whatever command is in flight.
        if (reply) this.#pending?.deliver(reply);
      },
    });
  }

  /** Sends `code` and resolves with the network's answer; rejects with a {@link UssdError}. */
  request(at: AtCommander | null, code: string, options: UssdRequestOptions = {}): Promise<UssdReply> {
    const run = this.#tail.then(() => this.#run(at, code, options.timeoutMs ?? DEFAULT_USSD_TIMEOUT_MS));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #run(at: AtCommander | null, code: string, timeoutMs: number): Promise<UssdReply> {
    if (!USSD_CODE.test(code)) {
      throw new UssdError('MODEM_USSD_INVALID_CODE', `not a USSD code: ${JSON.stringify(code)}`, { code });
    }
    if (at === null) throw new UssdError('MODEM_USSD_NO_PORT', 'the modem port is not open', { code });
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<UssdReply | null>((resolve) => {
      this.#pending = { deliver: resolve };
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      const send = (form: string) =>
        at.send(`AT+CUSD=1,"${form}",15`, {
          priority: 'background',
          timeoutMs: CUSD_COMMAND_TIMEOUT_MS,
          allowError: true,
        });
      let response = await send(code);
      // Some Huawei firmware takes the code only as packed GSM 7-bit hex (quirks.md §7, gammu).
      if (response.final.kind !== 'ok') response = await send(packedCode(code));
      if (response.final.kind !== 'ok') {
        throw new UssdError(
          'MODEM_USSD_REFUSED',
          `the modem refused ${code}: ${describeFinal(response.final)}`,
          {
            code,
          },
        );
      }
      const reply = await answer;
      if (reply === null) {
        await this.#close(at);
        throw new UssdError('MODEM_USSD_TIMEOUT', `no answer to ${code} within ${timeoutMs} ms`, { code });
      }
      if (reply.status === 'menu') await this.#close(at);
      return reply;
    } finally {
      clearTimeout(timer);
      this.#pending = null;
    }
  }

  /** Ends the network session (`AT+CUSD=2`); a failure here only means there was none. */
  async #close(at: AtCommander): Promise<void> {
    await at
      .send('AT+CUSD=2', { priority: 'background', timeoutMs: CUSD_COMMAND_TIMEOUT_MS, allowError: true })
      .catch(() => undefined);
  }
}

/** A USSD code as packed GSM 7-bit septets in hex (`*100#` -> `AA180C3602`). */
export function packedCode(code: string): string {
  const septets = (textToSeptetGroups(code) ?? []).flat();
  return bytesToHex(packSeptets(septets));
}
