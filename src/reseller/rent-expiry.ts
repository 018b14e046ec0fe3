import type { Logger } from '../log.js';
import type { RentStore } from '../store/rent-store.js';

export interface RentExpiryOptions {
  store: Pick<RentStore, 'expireRents'>;
  /** `reseller.rent.expiryGraceMs`: how long past its end a rent waits for Onlinesim's FINISH. */
  graceMs: number;
  /** `reseller.rent.expirySweepIntervalMs`. */
  intervalMs: number;
  log: Logger;
  clock?: () => number;
}

/**
 * Ends rents past their end plus the grace. Onlinesim normally sends FINISH_ACTIVATION (rent)
 * when a rent closes (§7) and a partner must not close first (§5); but a FINISH that never comes
 * would keep the SIM out of sale for good. The grace covers a FINISH that is late or a rent that
 * was extended ([UNDOC]: no call tells the partner); a FINISH that arrives after still records
 * its verdict and sum.
 */
export class RentExpirySweeper {
  readonly #options: RentExpiryOptions;
  readonly #clock: () => number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(options: RentExpiryOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  start(): void {
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => void this.sweep(), this.#options.intervalMs);
    this.#timer.unref();
    void this.sweep();
  }

  /** One pass; never rejects (a failure is logged and the next pass tries again). */
  sweep(): Promise<void> {
    this.#running ??= (async () => {
      try {
        const ended = await this.#options.store.expireRents(this.#clock(), this.#options.graceMs);
        if (ended.length > 0) {
          this.#options.log.warn(
            { operationIds: ended, graceMs: this.#options.graceMs },
            'rents ended here: past their end and the grace without FINISH_ACTIVATION',
          );
        }
      } catch (err) {
        this.#options.log.error({ err }, 'rent expiry sweep failed; trying again at the next one');
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
