/**
 * The profile's vendor noise URCs (e.g. `^RSSI`, `^BOOT`), sent in turn: on a timer while the
 * modem is plugged and answering, or in a burst for a URC storm.
 *
 * Moved out of modem.ts: the cursor and timer are their own small state machine, and the
 * modem only decides when noise may flow.
 */
export class NoiseUrcs {
  readonly #lines: readonly string[];
  /** Sends one noise line (the modem rewrites it for the current radio state). */
  readonly #send: (line: string) => void;
  #cursor = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(lines: readonly string[], send: (line: string) => void) {
    this.#lines = lines;
    this.#send = send;
  }

  /** Sends the next noise line, if the profile has any. */
  sendNext(): void {
    if (this.#lines.length === 0) return;
    const line = this.#lines[this.#cursor % this.#lines.length] as string;
    this.#send(line);
    this.#cursor += 1;
  }

  /** Every `intervalMs`, one line while `mayFlow()` holds. */
  start(intervalMs: number, mayFlow: () => boolean): void {
    this.#timer = setInterval(() => {
      if (mayFlow()) this.sendNext();
    }, intervalMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
