import type { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';

/**
 * Readable lines for `simbridge demo`: a time stamp, a tag saying which part of the flow speaks
 * (modem, bridge, onlinesim, ...) and one sentence. The demo is for people watching a terminal,
 * so these are plain text, not log records.
 */
export class Narrator {
  readonly #out: Writable;
  readonly #clock: () => number;

  constructor(out: Writable, clock: () => number = Date.now) {
    this.#out = out;
    this.#clock = clock;
  }

  say(tag: string, sentence: string): void {
    if (!this.#writable()) return;
    const time = new Date(this.#clock()).toISOString().slice(11, 23);
    this.#out.write(`${time}  ${tag.padEnd(9)} ${sentence}\n`);
  }

  /** A line without time stamp or tag (headings, the status page URL). */
  plain(text: string): void {
    if (this.#writable()) this.#out.write(`${text}\n`);
  }

  /** False once the reader went away (`simbridge demo | head`): nothing left to tell. */
  #writable(): boolean {
    return !this.#out.destroyed && this.#out.errored === null;
  }
}

/** A message text shortened for one line, quoted. */
export function preview(text: string | null, max = 64): string {
  if (text === null) return '(no text)';
  const flat = text.replace(/\s+/g, ' ');
  const chars = [...flat];
  return JSON.stringify(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat);
}

/**
 * A pino destination that turns the bridge's own error records into narrator lines: the demo
 * runs the bridge with level `error`, so only real trouble is shown, readably.
 */
export function narratedLogDestination(narrator: Narrator): DestinationStream {
  return {
    write(line: string): void {
      let record: { msg?: unknown; err?: { message?: unknown } } = {};
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        // not JSON: show it as it is
      }
      const message = typeof record.msg === 'string' ? record.msg : line.trim();
      const cause = typeof record.err?.message === 'string' ? `: ${record.err.message}` : '';
      narrator.say('error', `${message}${cause}`);
    },
  };
}
