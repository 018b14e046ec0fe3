import type { AtCommander } from '../at/types.js';
import { isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DriverStatus } from './driver-status.js';
import type { FarmTicker } from './farm-ticker.js';
import type { ModemTimings } from './options.js';
import { isStorageFull, type StorageFill } from './parsers/parse-cpms.js';
import { type Query, QueryLine } from './query-line.js';
import { readRadioStatus } from './radio.js';
import type { SmsReceiver } from './receive.js';
import { startPeriodic } from './service-tasks.js';
import { cnmiChanged, indicationsLost, readStorageFill, storageFillOf } from './sms-setup.js';
import type { ModemRadioStatus } from './types.js';

/** What the timed work of a ready modem needs from its driver. */
export interface ReadyTasksHost {
  readonly timings: ModemTimings;
  readonly log: Logger;
  readonly status: DriverStatus;
  at(): AtCommander | null;
  isReady(): boolean;
  receiver(): SmsReceiver | null;
  /** The `AT+CNMI=…` the init set, or null when the modem refused every setting. */
  indications(): string | null;
  /** The modem lost its settings without saying so: the driver sets it up again. */
  settingsForgotten(why: string): void;
  storage(fill: StorageFill): void;
  radio(radio: ModemRadioStatus): void;
  /**
   * The farm's shared timer for the storage check (one for every modem, see farm-ticker.ts);
   * used when its period is this modem's `storageCheckIntervalMs`, else the modem keeps its own.
   */
  storageTicker?: FarmTicker | undefined;
}

const CPMS: Query = { command: 'AT+CPMS?', prefix: '+CPMS:' };
const CNMI: Query = { command: 'AT+CNMI?', prefix: '+CNMI:' };

/**
 * While the storage check runs, a poll whose count says the storage is empty lists it anyway
 * every this many polls (5 min by default): a firmware whose count stays wrong is still swept.
 */
export const EMPTY_POLLS_PER_LISTING = 10;

/**
 * Everything a ready modem does on timers (quirks.md §0 "Poll even when you get URCs"):
 *
 * - every `storageCheckIntervalMs` (3 s), `AT+CPMS?`: a sweep only when the count differs
 *   from what the last sweep left behind, so a lost `+CMTI` costs seconds, not a poll period,
 *   and an idle modem costs one short command per check;
 * - every `pollIntervalMs`, `AT+CNMI?` (a reset nobody announced) and a sweep. While the check
 *   runs (its interval not longer than the poll's) the poll rides on the next check as one
 *   command line, `AT+CPMS?;+CNMI?`, and the sweep runs only when that count is not zero
 *   (messages kept for a retry) or on every `EMPTY_POLLS_PER_LISTING`th poll: an empty count
 *   already says what a listing would. Otherwise the poll keeps its own timer and always lists;
 * - every `radioIntervalMs`, operator, signal and registration, as one command line
 *   (`AT+COPS?;+CSQ;+CREG?`) where the modem takes it.
 *
 * The command count is what an idle farm's CPU follows (see query-line.ts).
 */
export class ReadyTasks {
  readonly #host: ReadyTasksHost;
  #stop: () => void = () => {};
  /** Messages the last sweep left in storage (kept, refused or not yet taken); null = unknown. */
  #residue: number | null = null;
  #checking = false;
  /** When a refused listing last re-initialised the modem (Date.now ms). */
  #refusalResetAtMs = Number.NEGATIVE_INFINITY;
  /** The poll rides on the check: it is due at the first check from this time (Date.now ms). */
  #pollDueAtMs = Number.POSITIVE_INFINITY;
  /** Polls in a row that found the storage empty and skipped the listing. */
  #emptyPolls = 0;
  /** Whether this modem takes several queries on one line (learnt, kept across re-inits). */
  readonly #line = new QueryLine();

  constructor(host: ReadyTasksHost) {
    this.#host = host;
  }

  start(at: AtCommander): void {
    this.stop();
    const { timings, storageTicker } = this.#host;
    const check = (): void => void this.#checkStorage();
    const shared = storageTicker?.periodMs === timings.storageCheckIntervalMs ? storageTicker : undefined;
    const pollRides = timings.storageCheckIntervalMs <= timings.pollIntervalMs;
    this.#pollDueAtMs = pollRides ? Date.now() + timings.pollIntervalMs : Number.POSITIVE_INFINITY;
    this.#emptyPolls = 0;
    const stopPeriodic = startPeriodic([
      ...(shared ? [] : [{ everyMs: timings.storageCheckIntervalMs, run: check }]),
      ...(pollRides ? [] : [{ everyMs: timings.pollIntervalMs, run: () => void this.sweepNow('poll') }]),
      { everyMs: timings.radioIntervalMs, run: () => void this.#refreshRadio(at) },
    ]);
    const stopCheck = shared?.add(check);
    this.#stop = () => {
      stopPeriodic();
      stopCheck?.();
    };
  }

  stop(): void {
    this.#stop();
    this.#stop = () => {};
  }

  /** Records a fill read elsewhere (init); a full storage after a drain is swept again. */
  setFill(fill: StorageFill, drainedSomething: boolean): void {
    this.#host.status.fill = fill;
    this.#host.storage(fill);
    if (isStorageFull(fill) && drainedSomething) void this.sweepNow('storage-full');
  }

  /** Runs a sweep now (also used after storage-full signals). Resolves when it finished. */
  async sweepNow(reason = 'request'): Promise<void> {
    const receiver = this.#host.receiver();
    if (!receiver || !this.#host.isReady()) return;
    const { log, timings } = this.#host;
    try {
      if (reason === 'poll' && (await this.#settingsLost())) return;
      const report = await receiver.sweep();
      log.debug({ reason, ...report }, 'sweep done');
      if (report.refused && this.#host.isReady()) {
        // E.g. back in text mode after an unnoticed reset: AT+CMGL=4 is then an error. Refused
        // again within a poll period of that re-init, it is the SIM refusing reads (SIM health
        // counts them): one re-init per poll period, not one per refusal in a tight loop.
        const now = Date.now();
        if (now - this.#refusalResetAtMs >= timings.pollIntervalMs) {
          this.#refusalResetAtMs = now;
          this.#host.settingsForgotten('message listing refused');
          return;
        }
        log.warn({ reason }, 'message listing refused again after a re-init; the SIM refuses reads');
      }
      const at = this.#host.at();
      if (at && this.#host.isReady()) {
        const fill = await readStorageFill({ at, timings });
        this.#residue = fill && !receiver.busy ? fill.used : null;
        if (fill) this.setFill(fill, report.accepted > 0);
      }
    } catch (err) {
      log.warn({ err, reason }, 'sweep failed');
    }
  }

  /**
   * The cheap safety net: a storage count, and a sweep only when it says something changed.
   * When the poll is due, the settings check rides on the same command line.
   */
  async #checkStorage(): Promise<void> {
    const receiver = this.#host.receiver();
    const at = this.#host.at();
    // While a sweep or a read runs the count is in motion; the sweep reads it when done.
    if (this.#checking || !receiver || !at || !this.#host.isReady() || receiver.busy) return;
    this.#checking = true;
    try {
      const indications = this.#host.indications();
      const poll = Date.now() >= this.#pollDueAtMs;
      if (poll) this.#pollDueAtMs = Date.now() + this.#host.timings.pollIntervalMs;
      const queries = poll && indications !== null ? [CPMS, CNMI] : [CPMS];
      const [cpms, cnmi] = await this.#line.run(at, queries, this.#host.timings.storageCheckTimeoutMs);
      if (!this.#host.isReady()) return;
      if (indications !== null && cnmi && cnmiChanged(cnmi, indications)) {
        this.#settingsChanged(indications);
        return;
      }
      const fill = cpms ? storageFillOf(cpms) : null;
      if (!fill) {
        // No count to go by: the poll lists as it would without the check.
        if (poll) await this.#sweep(receiver, 'poll-count');
        return;
      }
      const changed = fill.used !== (this.#residue ?? 0);
      if (fill.used !== this.#host.status.fill?.used || fill.total !== this.#host.status.fill?.total) {
        this.#host.status.fill = fill;
        this.#host.storage(fill);
      }
      if (changed) {
        await this.#sweep(receiver, 'storage-count');
      } else if (poll) {
        // Messages kept for a retry are offered again; an empty storage has nothing to list.
        this.#emptyPolls = fill.used === 0 ? this.#emptyPolls + 1 : 0;
        if (this.#emptyPolls === 0 || this.#emptyPolls >= EMPTY_POLLS_PER_LISTING) {
          this.#emptyPolls = 0;
          await this.#sweep(receiver, 'poll-count');
        }
      }
    } catch (err) {
      // A timeout counts as a missed probe for the watchdog; nothing else to do here.
      if (!isGatewayError(err)) this.#host.log.warn({ err }, 'storage check failed');
    } finally {
      this.#checking = false;
    }
  }

  /** A sweep from the check (its settings already checked), unless one is under way. */
  async #sweep(receiver: SmsReceiver, reason: string): Promise<void> {
    if (!receiver.busy) await this.sweepNow(reason);
  }

  /** Poll-time check that the modem still has our settings; raises a reset when not. */
  async #settingsLost(): Promise<boolean> {
    const command = this.#host.indications();
    const at = this.#host.at();
    if (!at || !command || !(await indicationsLost({ at, timings: this.#host.timings }, command))) {
      return false;
    }
    if (!this.#host.isReady()) return false;
    this.#settingsChanged(command);
    return true;
  }

  /** The modem answers `AT+CNMI?` with other settings than `command` set: set it up again. */
  #settingsChanged(command: string): void {
    this.#host.settingsForgotten(`AT+CNMI? no longer ${command.slice('AT+CNMI='.length)}`);
  }

  async #refreshRadio(at: AtCommander): Promise<void> {
    try {
      this.#host.status.radio = await readRadioStatus(at, this.#host.timings.commandTimeoutMs, this.#line);
      this.#host.radio(this.#host.status.radio);
    } catch (err) {
      if (!isGatewayError(err)) this.#host.log.warn({ err }, 'radio status failed');
    }
  }
}
