import type { LineWriter } from './line-writer.js';
import type { ModemProfile } from './types.js';

export interface BootSequenceOptions {
  profile: ModemProfile;
  out: LineWriter;
  /** Multiplies the profile's boot URC delays; 0 sends them all at once. */
  timeScale: number;
  now(): number;
  /** The SMS service came up: the network may deliver what it holds. */
  onSmsReady(): void;
}

/**
 * The boot URCs of a profile and the SMS readiness they announce (quirks.md §0 "Wait for
 * SIM/SMS ready"): on profiles that say so, SMS commands answer `+CMS ERROR: 314` until the
 * last boot URC (`SMS Ready`, `+QIND: SMS DONE`, ...). A hold keeps SMS busy longer, as a SIM
 * that takes seconds to load does, and the ready URC then comes when the hold ends.
 */
export class BootSequence {
  readonly #options: BootSequenceOptions;
  #timers: NodeJS.Timeout[] = [];
  #ready = true;
  #holdUntilMs = 0;
  #holdTimer: NodeJS.Timeout | null = null;

  constructor(options: BootSequenceOptions) {
    this.#options = options;
  }

  get smsReady(): boolean {
    return this.#ready;
  }

  /** Power-on before the first boot: busy on profiles that are busy until booted. */
  poweredOn(): void {
    this.#ready = !this.#options.profile.smsBusyUntilBooted;
  }

  /** Sends the boot URCs on their schedule; SMS is ready after the last one (or at once). */
  start(): void {
    this.clear();
    const urcs = this.#options.profile.bootUrcs;
    this.#ready = (!this.#options.profile.smsBusyUntilBooted || urcs.length === 0) && !this.#held();
    urcs.forEach((urc, i) => {
      const last = i === urcs.length - 1;
      const timer = setTimeout(() => {
        // A held SIM sends its ready URC when the hold ends, not on the boot schedule.
        if (last && this.#held()) return;
        this.#options.out.line(urc.line);
        if (last) this.#becomeReady();
      }, urc.afterMs * this.#options.timeScale);
      this.#timers.push(timer);
    });
  }

  /**
   * SMS commands answer `+CMS ERROR: 314` for `durationMs` from now, whatever the profile;
   * then the profile's last boot URC (its SMS-ready line) is sent, if it has one that means so.
   */
  hold(durationMs: number): void {
    this.#holdUntilMs = Math.max(this.#holdUntilMs, this.#options.now() + durationMs);
    this.#ready = false;
    if (this.#holdTimer !== null) clearTimeout(this.#holdTimer);
    this.#holdTimer = setTimeout(() => {
      this.#holdTimer = null;
      const { profile } = this.#options;
      const readyUrc = profile.smsBusyUntilBooted ? profile.bootUrcs[profile.bootUrcs.length - 1] : undefined;
      if (readyUrc) this.#options.out.line(readyUrc.line);
      this.#becomeReady();
    }, durationMs);
  }

  /** Cancels the pending boot URCs (unplug, a new boot); a hold runs on. */
  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
  }

  /** Cancels everything, the hold too. */
  dispose(): void {
    this.clear();
    if (this.#holdTimer !== null) clearTimeout(this.#holdTimer);
    this.#holdTimer = null;
    this.#holdUntilMs = 0;
  }

  #held(): boolean {
    return this.#holdTimer !== null && this.#options.now() < this.#holdUntilMs;
  }

  #becomeReady(): void {
    this.#ready = true;
    this.#options.onSmsReady();
  }
}
