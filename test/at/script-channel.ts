import type { ByteChannel } from '../../src/transport/byte-channel.js';

/**
 * A scripted fake modem behind the {@link ByteChannel} interface.
 *
 * ```ts
 * script.expect('AT+CSQ\r').reply('+CSQ: 17,99', 'OK');
 * ```
 * Each `expect` must match the next write exactly; its replies are emitted as `\r\n<line>\r\n`
 * right after the write (in a microtask, as a fast modem would). A write that matches nothing
 * is recorded in `unexpectedWrites` so the test fails in `assertDone()`.
 */
export class ScriptChannel implements ByteChannel {
  readonly name = 'script';
  readonly writes: string[] = [];
  readonly unexpectedWrites: string[] = [];
  readonly #steps: Array<{ write: string; replies: string[] }> = [];
  readonly #dataListeners = new Set<(chunk: Uint8Array) => void>();
  readonly #closeListeners = new Set<(error: Error | null) => void>();
  #open = true;
  /** Split every emitted reply into chunks of this many bytes (1 = byte by byte). */
  chunkSize = Number.POSITIVE_INFINITY;

  get isOpen(): boolean {
    return this.#open;
  }

  /** Expects `write` (exact, including the CR) as the next write. */
  expect(write: string): { reply(...lines: string[]): ScriptChannel; replyRaw(raw: string): ScriptChannel } {
    const step = { write, replies: [] as string[] };
    this.#steps.push(step);
    return {
      reply: (...lines) => {
        step.replies.push(...lines.map((line) => `\r\n${line}\r\n`));
        return this;
      },
      replyRaw: (raw) => {
        step.replies.push(raw);
        return this;
      },
    };
  }

  /** Emits lines from the modem now (URCs, late answers). */
  emitLines(...lines: string[]): void {
    for (const line of lines) this.emitRaw(`\r\n${line}\r\n`);
  }

  /** Emits raw text (latin1) from the modem now. */
  emitRaw(raw: string): void {
    const bytes = Buffer.from(raw, 'latin1');
    if (bytes.length === 0) return;
    const size = Math.min(this.chunkSize, bytes.length);
    for (let offset = 0; offset < bytes.length; offset += size) {
      const chunk = bytes.subarray(offset, offset + size);
      for (const listener of this.#dataListeners) listener(chunk);
    }
  }

  /** Simulates the port going away (USB unplug). */
  disconnect(error: Error): void {
    if (!this.#open) return;
    this.#open = false;
    for (const listener of this.#closeListeners) listener(error);
  }

  /** Steps not yet consumed. */
  get pending(): string[] {
    return this.#steps.map((step) => step.write);
  }

  assertDone(): void {
    if (this.unexpectedWrites.length > 0) {
      throw new Error(`unexpected writes: ${JSON.stringify(this.unexpectedWrites)}`);
    }
    if (this.#steps.length > 0)
      throw new Error(`expected writes never came: ${JSON.stringify(this.pending)}`);
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.#open) throw new Error('script channel closed');
    const text = Buffer.from(data).toString('latin1');
    this.writes.push(text);
    const next = this.#steps[0];
    if (next === undefined || next.write !== text) {
      this.unexpectedWrites.push(text);
      return;
    }
    this.#steps.shift();
    queueMicrotask(() => {
      for (const reply of next.replies) this.emitRaw(reply);
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#dataListeners.add(listener);
    return () => this.#dataListeners.delete(listener);
  }

  onClose(listener: (error: Error | null) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    for (const listener of this.#closeListeners) listener(null);
  }
}
