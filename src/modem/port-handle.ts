import type { AtCommander } from '../at/types.js';
import type { Logger } from '../log.js';
import type { ByteChannel } from '../transport/byte-channel.js';

export interface PortHandleOptions {
  openChannel(): Promise<ByteChannel>;
  createCommander(channel: ByteChannel, log: Logger): AtCommander;
  /** Decorates the commander (the watchdog watches every answer through it). */
  wrap(at: AtCommander): AtCommander;
  log: Logger;
  /** The channel closed without `close()` being called: USB unplug, tty hang-up. */
  onLost(error: Error | null): void;
}

/**
 * Owns one open port and its command engine: opening, closing, and telling a close we asked
 * for from one that happened to us. Listeners registered with `own` are removed on close.
 */
export class PortHandle {
  readonly #options: PortHandleOptions;
  #channel: ByteChannel | null = null;
  #at: AtCommander | null = null;
  #owned: Array<() => void> = [];
  #closing = false;

  constructor(options: PortHandleOptions) {
    this.#options = options;
  }

  /** The open port's commander, or null while closed. */
  get at(): AtCommander | null {
    return this.#at;
  }

  get isOpen(): boolean {
    return this.#channel?.isOpen ?? false;
  }

  /** Opens the port (closing any previous one first) and returns its commander. */
  async open(): Promise<AtCommander> {
    await this.close();
    const channel = await this.#options.openChannel();
    this.#channel = channel;
    const at = this.#options.wrap(this.#options.createCommander(channel, this.#options.log));
    this.#at = at;
    this.#owned.push(
      channel.onClose((error) => {
        if (!this.#closing && this.#channel === channel) this.#options.onLost(error);
      }),
    );
    return at;
  }

  /** Ties an unregister function to the open port's lifetime. */
  own(release: () => void): void {
    this.#owned.push(release);
  }

  /** Closes engine and channel; idempotent. */
  async close(): Promise<void> {
    for (const release of this.#owned.splice(0)) release();
    const at = this.#at;
    const channel = this.#channel;
    this.#at = null;
    this.#channel = null;
    this.#closing = true;
    try {
      await at?.close().catch(() => {});
      await channel?.close().catch(() => {});
    } finally {
      this.#closing = false;
    }
  }
}
