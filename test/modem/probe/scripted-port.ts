import type { ByteChannel } from '../../../src/transport/byte-channel.js';

/** A tty double: answers each command line with what `reply` returns (null: stays silent). */
export class ScriptedPort implements ByteChannel {
  readonly written: string[] = [];
  isOpen = true;
  readonly #listeners = new Set<(chunk: Uint8Array) => void>();
  readonly #reply: (command: string) => string | null;

  constructor(
    readonly name: string,
    reply: (command: string) => string | null,
  ) {
    this.#reply = reply;
  }

  async write(data: Uint8Array): Promise<void> {
    const text = Buffer.from(data).toString('latin1');
    for (const command of text.split('\r').filter((c) => c !== '')) {
      this.written.push(command);
      const answer = this.#reply(command);
      if (answer !== null) setImmediate(() => this.emit(answer));
    }
  }

  emit(text: string): void {
    for (const listener of this.#listeners) listener(Buffer.from(text, 'latin1'));
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onClose(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    this.isOpen = false;
  }
}

/** Answers `AT` with OK and the given queries with their lines; everything else ERROR. */
export function atPort(name: string, answers: Record<string, string[]> = {}): ScriptedPort {
  return new ScriptedPort(name, (command) => {
    if (command === 'AT') return '\r\nOK\r\n';
    const lines = answers[command];
    return lines ? `${lines.map((l) => `\r\n${l}\r\n`).join('')}\r\nOK\r\n` : '\r\nERROR\r\n';
  });
}

export const silentPort = (name: string) => new ScriptedPort(name, () => null);
