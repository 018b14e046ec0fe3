import type { CommandOutcome } from './commands/context.js';
import type { LineWriter } from './line-writer.js';
import { formatFinalResult } from './reply-format.js';

const MAX_LINE_LENGTH = 2048;

/** What the command loop needs from its modem. */
export interface CommandRunnerHost {
  readonly out: LineWriter;
  /** False while unplugged, hung or disposed: input is dropped and answers are not sent. */
  isLive(): boolean;
  /** `ATE1`: received bytes are echoed. */
  echo(): boolean;
  /** `+CMEE` level for the final result's form. */
  cmee(): 0 | 1 | 2;
  replyDelayMs(): number;
  /** Runs one command line and returns its answer. */
  execute(line: string): CommandOutcome;
  /** After each answer: the network may deliver what the command unblocked. */
  answered(): void;
}

/**
 * V.250 command-line handling (§5.2.1): bytes in, lines ended by S3 (CR), backspace edits, one
 * command line at a time with its answer (information lines, then the final result).
 */
export class CommandRunner {
  readonly #host: CommandRunnerHost;
  #lineBuffer = '';
  readonly #queue: string[] = [];
  #processing = false;

  constructor(host: CommandRunnerHost) {
    this.#host = host;
  }

  receive(bytes: Uint8Array): void {
    if (!this.#host.isLive()) return;
    if (this.#host.echo()) this.#host.out.bytes(bytes);
    for (const byte of bytes) {
      if (byte === 0x0d) {
        const line = this.#lineBuffer.trim();
        this.#lineBuffer = '';
        if (/^AT/i.test(line)) {
          this.#queue.push(line);
          this.#processNext();
        }
      } else if (byte === 0x08) this.#lineBuffer = this.#lineBuffer.slice(0, -1);
      else if (byte !== 0x0a && this.#lineBuffer.length < MAX_LINE_LENGTH)
        this.#lineBuffer += String.fromCharCode(byte);
    }
  }

  /** Forgets a half-typed line (after a hang). */
  clearLine(): void {
    this.#lineBuffer = '';
  }

  /** Forgets the half-typed line and every queued command (reboot). */
  reset(): void {
    this.#lineBuffer = '';
    this.#queue.length = 0;
  }

  #processNext(): void {
    if (this.#processing) return;
    const line = this.#queue.shift();
    if (line === undefined) return;
    this.#processing = true;
    const outcome = this.#host.execute(line);
    const finish = (): void => {
      this.#processing = false;
      if (!this.#host.isLive()) return;
      if (outcome.lines.length > 0) this.#host.out.information(outcome.lines);
      this.#host.out.line(formatFinalResult(outcome.final, this.#host.cmee()));
      outcome.after?.();
      this.#host.answered();
      this.#processNext();
    };
    const delayMs = this.#host.replyDelayMs();
    if (delayMs > 0) setTimeout(finish, delayMs);
    else finish();
  }
}
