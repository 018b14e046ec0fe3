export interface PortReturnOptions {
  /** How often to try the port by itself; the manager also wakes the wait when the path is back. */
  retryMs: number;
  stopped(): boolean;
  /** Receives the function that ends the current wait early, or null between waits. */
  setWake(wake: (() => void) | null): void;
  /** Tries to open the port; rejects while it is absent. */
  reopen(): Promise<void>;
  /** A failed try, for the lifecycle and the debug log. */
  stillAbsent(err: unknown): void;
}

/** Waits for a vanished port: tries it on a timer or when woken. True once reopened, false if stopped. */
export async function waitForPortReturn(options: PortReturnOptions): Promise<boolean> {
  for (;;) {
    if (options.stopped()) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.retryMs);
      options.setWake(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    options.setWake(null);
    if (options.stopped()) return false;
    try {
      await options.reopen();
      return true;
    } catch (err) {
      options.stillAbsent(err);
    }
  }
}
