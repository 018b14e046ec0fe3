import type { Logger } from '../log.js';
import type { FarmRegistry, LiveSimRecord } from '../reseller/live-sims.js';

export interface FarmHeartbeatOptions {
  farm: FarmRegistry;
  /** This host's SIMs right now, with their health; unhealthy ones are left out of the beat. */
  sims: () => readonly LiveSimRecord[];
  intervalMs: number;
  clock?: () => number;
  log: Logger;
}

/**
 * Tells the farm, every `intervalMs`, that this host is alive and which SIMs it has. A failed
 * beat (store unreachable) is logged once per outage and tried again at the next interval; the
 * other hosts stop offering this host's SIMs once its beats stop for `node.staleAfterMs`.
 */
export class FarmHeartbeat {
  readonly #options: FarmHeartbeatOptions;
  readonly #clock: () => number;
  #timer: NodeJS.Timeout | null = null;
  #failing = false;
  #running: Promise<void> | null = null;

  constructor(options: FarmHeartbeatOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** Sends the first beat (awaited, never rejects), then one every interval. */
  async start(): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => void this.beat(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** One beat now; never rejects. Beats never overlap. */
  beat(): Promise<void> {
    this.#running ??= this.#beat().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  async #beat(): Promise<void> {
    const { farm, sims, log } = this.#options;
    try {
      // An unhealthy SIM (src/health) is not reported: the other hosts must not offer it either.
      const offered = sims().filter((sim) => sim.health !== 'unhealthy');
      await farm.heartbeat(offered, this.#clock());
      if (this.#failing) log.info('farm heartbeat recorded again');
      this.#failing = false;
    } catch (err) {
      if (!this.#failing)
        log.warn({ err }, 'farm heartbeat failed; other hosts stop offering our SIMs if it lasts');
      this.#failing = true;
    }
  }
}
