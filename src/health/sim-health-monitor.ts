import { normalizeIccid } from '../config/iccid.js';
import type { Logger } from '../log.js';
import type { SmsReadOutcome } from '../modem/sms-read-tap.js';
import type { ModemIdentity, ModemSnapshot } from '../modem/types.js';
import { ReadErrorStreaks } from './read-error-streaks.js';
import {
  type BalanceSource,
  HEALTHY,
  judgeSimHealth,
  NO_BALANCES,
  type SimHealthRules,
  type SimHealthVerdict,
} from './sim-health.js';

export interface SimHealthMonitorOptions {
  rules: SimHealthRules;
  /** The latest balance per ICCID (the USSD balance reader); none known by default. */
  balances?: BalanceSource;
  /** This host's modems right now. */
  snapshots: () => readonly ModemSnapshot[];
  /** How often every SIM is judged and its changes logged (`health.intervalMs`). */
  intervalMs: number;
  log: Logger;
}

/** One local SIM with its verdict, for metrics and logs. */
export interface SimHealthRow {
  port: string;
  iccid: string | null;
  simKey: string;
  verdict: SimHealthVerdict;
}

/**
 * Watches the health of this host's SIMs (rules in sim-health.ts). Verdicts are computed when
 * asked, from what the modems report now, so GET_SERVICES drops a SIM as soon as its modem says
 * it left the network (a `+CREG` URC, or the radio poll every `health.intervalMs`), and offers it
 * again as soon as it is back.
 *
 * Registration is judged only while the modem is up: a modem that is resetting or replugged
 * has no fresh radio state, so the SIM keeps the registration last seen while it was ready
 * (a deregistered SIM does not look healthy for the length of a reset, and a healthy one does
 * not look deregistered). Read-error streaks are kept per SIM across resets and ports.
 */
export class SimHealthMonitor {
  readonly #options: SimHealthMonitorOptions;
  readonly #balances: BalanceSource;
  readonly #streaks = new ReadErrorStreaks();
  /** Registration last seen while the SIM's modem was ready, by SIM key. */
  readonly #registered = new Map<string, boolean>();
  /** Verdicts logged by the last check, by SIM key. */
  readonly #logged = new Map<string, SimHealthVerdict>();
  #timer: NodeJS.Timeout | null = null;

  constructor(options: SimHealthMonitorOptions) {
    this.#options = options;
    this.#balances = options.balances ?? NO_BALANCES;
  }

  /** One SMS read of the SIM in a modem ended (ModemManager `smsRead`). */
  recordRead(identity: ModemIdentity | null, outcome: SmsReadOutcome): void {
    const key = simKeyOf(identity);
    if (key !== null) this.#streaks.record(key, outcome);
  }

  /** The SIM in this modem: healthy, or unhealthy and why. A modem without a SIM identity is healthy. */
  verdictOf(snapshot: ModemSnapshot): SimHealthVerdict {
    const key = simKeyOf(snapshot.identity);
    if (key === null) return HEALTHY;
    if (snapshot.state === 'ready') this.#registered.set(key, snapshot.registered);
    const iccid = iccidOf(snapshot.identity, key);
    return judgeSimHealth(
      {
        registered: this.#registered.get(key) ?? true,
        readErrorsInARow: this.#streaks.of(key),
        balance: iccid === null ? null : this.#balances.balanceOf(iccid),
      },
      this.#options.rules,
    );
  }

  /** Every local SIM with its verdict. */
  rows(): SimHealthRow[] {
    const rows: SimHealthRow[] = [];
    for (const snapshot of this.#options.snapshots()) {
      const simKey = simKeyOf(snapshot.identity);
      if (simKey === null) continue;
      const iccid = iccidOf(snapshot.identity, simKey);
      rows.push({ port: snapshot.port, iccid, simKey, verdict: this.verdictOf(snapshot) });
    }
    return rows;
  }

  /** Judges every SIM now and logs the ones whose health changed since the last check. */
  check(): void {
    const { log } = this.#options;
    for (const row of this.rows()) {
      const before = this.#logged.get(row.simKey) ?? HEALTHY;
      this.#logged.set(row.simKey, row.verdict);
      if (before.reason === row.verdict.reason) continue;
      const fields = { port: row.port, iccid: row.iccid, reason: row.verdict.reason };
      if (row.verdict.health === 'unhealthy') log.warn(fields, 'SIM unhealthy: not offered to Onlinesim');
      else log.info({ ...fields, was: before.reason }, 'SIM healthy again: offered to Onlinesim');
    }
  }

  start(): void {
    this.stop();
    this.#timer = setInterval(() => this.check(), this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/** A SIM's key: its ICCID (normalised), or `imsi:<imsi>` when the modem gave no ICCID. */
export function simKeyOf(identity: ModemIdentity | null): string | null {
  if (identity?.iccid) return normalizeIccid(identity.iccid);
  if (identity?.imsi) return `imsi:${identity.imsi}`;
  return null;
}

/** The SIM's normalised ICCID, which is its key when it has one; null for an `imsi:` key. */
function iccidOf(identity: ModemIdentity | null, simKey: string): string | null {
  return identity?.iccid ? simKey : null;
}
