import { isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { UssdReply } from '../modem/ussd/parse-cusd.js';
import type { UssdRequestOptions } from '../modem/ussd/ussd-session.js';
import { parseBalance } from './parse-balance.js';
import { parsePhoneNumber } from './parse-phone.js';
import type { SimRegistry } from './sim-registry.js';

/** A ready modem as discovery uses it: its SIM's identity and a USSD line to its network. */
export interface DiscoveryModem {
  port: string;
  iccid: string | null;
  imsi: string | null;
  /** `AT+CNUM` as read at identity time. */
  ownNumber: string | null;
  ussd(code: string, options?: UssdRequestOptions): Promise<UssdReply>;
}

export interface SimDiscoveryOptions {
  registry: SimRegistry;
  /** The modems ready now (for the periodic balance reads). */
  readyModems: () => readonly DiscoveryModem[];
  balanceIntervalMs: number;
  ussdTimeoutMs: number;
  /** Re-read numbers and confirmations from the store this often (a shared store); never when absent. */
  reloadIntervalMs?: number;
  log: Logger;
}

/**
 * Finds each SIM's number and reads its balance, when its modem is ready and then every
 * `sims.balanceIntervalMs`. Number, in this order: the config's `sims` list (nothing to do),
 * `AT+CNUM`, the operator's `numberUssd`. A discovered number is stored unconfirmed (the registry
 * decides what is offered). Failures are kept as the SIM's `problem` and logged; nothing here
 * throws into the modem layer, and every USSD goes out behind the modem's SMS work.
 */
export class SimDiscovery {
  readonly #options: SimDiscoveryOptions;
  readonly #log: Logger;
  /** ICCIDs with a discovery or balance read under way (a modem re-initialising fires again). */
  readonly #busy = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #reloadTimer: NodeJS.Timeout | null = null;

  constructor(options: SimDiscoveryOptions) {
    this.#options = options;
    this.#log = options.log.child({ layer: 'sims' });
  }

  /** Starts the periodic balance reads. */
  start(): void {
    this.#timer ??= setInterval(() => {
      for (const modem of this.#options.readyModems()) void this.#refresh(modem, { balance: true });
    }, this.#options.balanceIntervalMs);
    this.#timer.unref?.();
    const reloadMs = this.#options.reloadIntervalMs;
    if (reloadMs !== undefined && this.#reloadTimer === null) {
      this.#reloadTimer = setInterval(() => {
        this.#options.registry.load().catch((err: unknown) => {
          this.#log.warn({ err }, 'reading the SIM numbers from the store failed; trying again later');
        });
      }, reloadMs);
      this.#reloadTimer.unref?.();
    }
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#reloadTimer !== null) clearInterval(this.#reloadTimer);
    this.#timer = null;
    this.#reloadTimer = null;
  }

  /** A modem became ready: find its number if unknown, and read its balance if due. Resolves when done. */
  modemReady(modem: DiscoveryModem): Promise<void> {
    const last = modem.iccid ? this.#options.registry.balanceReadAtMs(modem.iccid) : null;
    const due = last === null || Date.now() - last >= this.#options.balanceIntervalMs;
    return this.#refresh(modem, { number: true, balance: due });
  }

  async #refresh(modem: DiscoveryModem, what: { number?: boolean; balance?: boolean }): Promise<void> {
    const { iccid } = modem;
    if (iccid === null || this.#busy.has(iccid)) return;
    this.#busy.add(iccid);
    try {
      this.#options.registry.noteSeen(iccid, modem.imsi);
      if (what.number) await this.#discoverNumber(modem, iccid);
      if (what.balance) await this.#readBalance(modem, iccid);
    } catch (err) {
      this.#log.warn({ err, port: modem.port, iccid }, 'SIM discovery failed');
    } finally {
      this.#busy.delete(iccid);
    }
  }

  async #discoverNumber(modem: DiscoveryModem, iccid: string): Promise<void> {
    const { registry } = this.#options;
    if (registry.configured({ iccid, imsi: modem.imsi })) return;
    const known = registry.discovered(iccid);
    // Digits as the SIM stores them: a Russian national form first (8916...), else international.
    const cnum = modem.ownNumber
      ? (parsePhoneNumber(modem.ownNumber) ?? parsePhoneNumber(`+${modem.ownNumber}`))
      : null;
    if (cnum !== null) {
      if (known?.phone !== cnum) {
        await registry.recordDiscovered({ iccid, imsi: modem.imsi, phone: cnum, source: 'cnum' });
        this.#log.info({ port: modem.port, iccid, phone: cnum }, 'SIM number found by AT+CNUM (unconfirmed)');
      }
      return;
    }
    if (known) return;
    const code = registry.operatorOf(modem.imsi)?.operator.numberUssd;
    if (code === undefined) {
      registry.setProblem(
        iccid,
        'no number: AT+CNUM is empty and no operators.*.numberUssd matches the IMSI',
      );
      return;
    }
    const text = await this.#ask(modem, iccid, code, 'number');
    if (text === null) return;
    const phone = parsePhoneNumber(text);
    if (phone === null) {
      registry.setProblem(iccid, `number USSD ${code} answered without a number: ${text.slice(0, 120)}`);
      return;
    }
    await registry.recordDiscovered({ iccid, imsi: modem.imsi, phone, source: 'ussd' });
    this.#log.info({ port: modem.port, iccid, phone, code }, 'SIM number found by USSD (unconfirmed)');
  }

  async #readBalance(modem: DiscoveryModem, iccid: string): Promise<void> {
    const { registry } = this.#options;
    const code = registry.operatorOf(modem.imsi)?.operator.balanceUssd;
    if (code === undefined) return;
    const text = await this.#ask(modem, iccid, code, 'balance');
    const balance = text === null ? null : parseBalance(text);
    registry.setBalance(iccid, balance);
    if (text !== null && balance === null) {
      registry.setProblem(iccid, `balance USSD ${code} answered without a balance: ${text.slice(0, 120)}`);
    }
    if (balance !== null) this.#log.info({ port: modem.port, iccid, balance }, 'SIM balance read');
  }

  /** The text of the network's answer, or null (with the SIM's problem set) when there is none. */
  async #ask(modem: DiscoveryModem, iccid: string, code: string, what: string): Promise<string | null> {
    try {
      const reply = await modem.ussd(code, { timeoutMs: this.#options.ussdTimeoutMs });
      if (reply.text !== null && (reply.status === 'done' || reply.status === 'menu')) return reply.text;
      this.#options.registry.setProblem(iccid, `${what} USSD ${code}: the network answered ${reply.raw}`);
    } catch (err) {
      const why = isGatewayError(err) ? err.message : String(err);
      this.#options.registry.setProblem(iccid, `${what} USSD ${code}: ${why}`);
      this.#log.warn({ port: modem.port, iccid, code, err }, `${what} USSD got no answer`);
    }
    return null;
  }
}
