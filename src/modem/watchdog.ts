import type { AtCommander, AtResponse, AtSendOptions, UrcHandler } from '../at/types.js';
import { isGatewayError } from '../errors.js';

export interface WatchdogOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive misses (probe or any command timing out) that count as a hang. */
  misses: number;
  /** Called once when the modem is judged hung; the watchdog then stays quiet until restarted. */
  onHang(): void;
}

/**
 * Liveness for one modem (quirks.md §8: "daemon hangs waiting for a reply"). Wraps the
 * commander to see every answer: while the modem answers anything, no probe is sent. When it
 * has been silent for an interval, a cheap `AT` with its own deadline is sent; a command
 * timing out counts as a miss like a failed probe.
 */
export class Watchdog {
  readonly #options: WatchdogOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #lastAnswerAt = 0;
  #misses = 0;
  #fired = false;
  #probing = false;

  constructor(options: WatchdogOptions) {
    this.#options = options;
  }

  /** Returns a commander that reports every answer and timeout to this watchdog. */
  wrap(at: AtCommander): AtCommander {
    const send = async (command: string, options?: AtSendOptions): Promise<AtResponse> => {
      try {
        const response = await at.send(command, options);
        this.#answered();
        return response;
      } catch (err) {
        if (isGatewayError(err) && err.code === 'AT_TIMEOUT') this.#missed();
        else if (isGatewayError(err) && err.code === 'AT_COMMAND_FAILED') this.#answered();
        throw err;
      }
    };
    return {
      send,
      addUrcHandler: (handler: UrcHandler) => at.addUrcHandler(handler),
      onUnhandledLine: (listener: (line: string) => void) => at.onUnhandledLine(listener),
      close: () => at.close(),
    };
  }

  start(at: AtCommander): void {
    this.stop();
    this.#misses = 0;
    this.#fired = false;
    this.#lastAnswerAt = Date.now();
    this.#timer = setInterval(() => {
      void this.#tick(at);
    }, this.#options.intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #tick(at: AtCommander): Promise<void> {
    if (this.#probing || this.#fired) return;
    if (Date.now() - this.#lastAnswerAt < this.#options.intervalMs) return;
    this.#probing = true;
    try {
      await at.send('AT', { timeoutMs: this.#options.timeoutMs, allowError: true });
    } catch {
      // Counted by the wrapper (timeout) or the channel close handler (port gone).
    } finally {
      this.#probing = false;
    }
  }

  #answered(): void {
    this.#lastAnswerAt = Date.now();
    this.#misses = 0;
  }

  #missed(): void {
    this.#misses += 1;
    if (this.#misses >= this.#options.misses && !this.#fired && this.#timer !== null) {
      this.#fired = true;
      this.#options.onHang();
    }
  }
}
