import type { SmsReadOutcome } from '../modem/sms-read-tap.js';

/**
 * Per SIM (by ICCID): SMS reads in a row that ended in `+CMS ERROR`. Keyed by ICCID, not by
 * driver, so the count survives a modem reset or a replug on another port: a SIM whose every
 * read fails makes its modem re-initialise, and that must not wipe the evidence.
 */
export class ReadErrorStreaks {
  readonly #streaks = new Map<string, number>();

  record(iccid: string, outcome: SmsReadOutcome): void {
    if (outcome === 'ok') this.#streaks.delete(iccid);
    else this.#streaks.set(iccid, (this.#streaks.get(iccid) ?? 0) + 1);
  }

  /** Failed reads since the last successful one. */
  of(iccid: string): number {
    return this.#streaks.get(iccid) ?? 0;
  }
}
