import type { AtCommander } from '../at/types.js';
import { isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { DriverStatus } from './driver-status.js';
import type { FarmTicker } from './farm-ticker.js';
import type { ModemTimings } from './options.js';
import { isStorageFull, type StorageFill } from './parsers/parse-cpms.js';
import { readRadioStatus } from './radio.js';
import type { SmsReceiver } from './receive.js';
import { startPeriodic } from './service-tasks.js';
import { indicationsLost, readStorageFill } from './sms-setup.js';
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

/**
 * Everything a ready modem does on timers (quirks.md §0 "Poll even when you get URCs"):
 *
 * - every `storageCheckIntervalMs` (2 s), `AT+CPMS?`: a sweep only when the count differs
 *   from what the last sweep left behind, so a lost `+CMTI` costs seconds, not a poll period,
 *   and an idle modem costs about 80 bytes on the line per check;
 * - every `pollIntervalMs`, `AT+CNMI?` (a reset nobody announced) and a full sweep;
 * - every `radioIntervalMs`, operator, signal and registration.
 */
export class ReadyTasks {
  readonly #host: ReadyTasksHost;
  #stop: () => void = () => {};
  /** Messages the last sweep left in storage (kept, refused or not yet taken); null = unknown. */
  #residue: number | null = null;
  #checking = false;
  /** When a refused listing last re-initialised the modem (Date.now ms). */
  #refusalResetAtMs = Number.NEGATIVE_INFINITY;

  constructor(host: ReadyTasksHost) {
    this.#host = host;
  }

  start(at: AtCommander): void {
    this.stop();
    const { timings, storageTicker } = this.#host;
    const check = (): void => void this.#checkStorage();
    const shared = storageTicker?.periodMs === timings.storageCheckIntervalMs ? storageTicker : undefined;
    const stopPeriodic = startPeriodic([
      ...(shared ? [] : [{ everyMs: timings.storageCheckIntervalMs, run: check }]),
      { everyMs: timings.pollIntervalMs, run: () => void this.sweepNow('poll') },
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

  /** The cheap safety net: a storage count, and a sweep only when it says something changed. */
  async #checkStorage(): Promise<void> {
    const receiver = this.#host.receiver();
    const at = this.#host.at();
    // While a sweep or a read runs the count is in motion; the sweep reads it when done.
    if (this.#checking || !receiver || !at || !this.#host.isReady() || receiver.busy) return;
    this.#checking = true;
    try {
      const fill = await readStorageFill(
        { at, timings: this.#host.timings },
        this.#host.timings.storageCheckTimeoutMs,
      );
      if (!fill || !this.#host.isReady()) return;
      const changed = fill.used !== (this.#residue ?? 0);
      if (fill.used !== this.#host.status.fill?.used || fill.total !== this.#host.status.fill?.total) {
        this.#host.status.fill = fill;
        this.#host.storage(fill);
      }
      if (changed && !receiver.busy) await this.sweepNow('storage-count');
    } catch (err) {
      // A timeout counts as a missed probe for the watchdog; nothing else to do here.
      if (!isGatewayError(err)) this.#host.log.warn({ err }, 'storage check failed');
    } finally {
      this.#checking = false;
    }
  }

  /** Poll-time check that the modem still has our settings; raises a reset when not. */
  async #settingsLost(): Promise<boolean> {
    const command = this.#host.indications();
    const at = this.#host.at();
    if (!at || !command || !(await indicationsLost({ at, timings: this.#host.timings }, command))) {
      return false;
    }
    if (!this.#host.isReady()) return false;
    this.#host.settingsForgotten(`AT+CNMI? no longer ${command.slice('AT+CNMI='.length)}`);
    return true;
  }

  async #refreshRadio(at: AtCommander): Promise<void> {
    try {
      this.#host.status.radio = await readRadioStatus(at, this.#host.timings.commandTimeoutMs);
      this.#host.radio(this.#host.status.radio);
    } catch (err) {
      if (!isGatewayError(err)) this.#host.log.warn({ err }, 'radio status failed');
    }
  }
}
