/**
 * Waits for the modem to fall silent: resolves once no answer line has arrived for `quietMs`,
 * or after `maxMs` at the latest, so a chatty port cannot stall the command queue. Used by the
 * engine's resync after a command went unanswered (see `engine.ts`).
 */
export class QuietWindow {
  readonly #quietMs: number;
  readonly #maxMs: number;
  #active: { noteLine(isFinal: boolean): void; cancel(): void } | null = null;

  constructor(quietMs: number, maxMs: number) {
    this.#quietMs = quietMs;
    this.#maxMs = maxMs;
  }

  /** True while a wait is running. */
  get isWaiting(): boolean {
    return this.#active !== null;
  }

  /**
   * Starts a wait. With `endOnFinal`, a final result ends it at once (the late answer being
   * waited for is complete); otherwise every line restarts the silence.
   */
  wait(endOnFinal: boolean): Promise<void> {
    this.#active?.cancel();
    return new Promise<void>((resolve) => {
      let quietTimer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        clearTimeout(quietTimer);
        clearTimeout(maxTimer);
        if (this.#active === active) this.#active = null;
        resolve();
      };
      const restart = (): void => {
        clearTimeout(quietTimer);
        quietTimer = setTimeout(done, this.#quietMs);
      };
      const maxTimer = setTimeout(done, this.#maxMs);
      const active = {
        noteLine: (isFinal: boolean) => (isFinal && endOnFinal ? done() : restart()),
        cancel: done,
      };
      this.#active = active;
      restart();
    });
  }

  /** Reports an answer line (not a URC) seen while no command is in flight. */
  noteLine(isFinal: boolean): void {
    this.#active?.noteLine(isFinal);
  }

  /** Ends the current wait now (engine closing). */
  cancel(): void {
    this.#active?.cancel();
  }
}
