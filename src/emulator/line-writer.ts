import { frameLine } from './reply-format.js';
import type { ModemProfile } from './types.js';
import type { WirePacer } from './wire-pacer.js';

/**
 * Writes V.250 §5.7.1 verbose-mode output (`<CR><LF>text<CR><LF>`) onto the paced line, with
 * the profile's habit of ending some lines `\r\r\n` (Huawei, quirks.md §1).
 */
export class LineWriter {
  readonly #pacer: WirePacer;
  readonly #profile: ModemProfile;
  readonly #isLive: () => boolean;
  #linesSent = 0;

  /** `isLive` is false while unplugged or disposed: output is then dropped. */
  constructor(pacer: WirePacer, profile: ModemProfile, isLive: () => boolean) {
    this.#pacer = pacer;
    this.#profile = profile;
    this.#isLive = isLive;
  }

  /** Raw bytes (echo, garbage, +CMT blocks); `onFirstByte` gets the time the first one starts. */
  bytes(bytes: Uint8Array, onFirstByte?: (atMs: number) => void): void {
    if (!this.#isLive()) return;
    this.#pacer.send(bytes, onFirstByte);
  }

  /** One framed line: a URC or a final result. */
  line(text: string, onFirstByte?: (atMs: number) => void): void {
    this.bytes(Buffer.from(frameLine(text, this.#nextDoubleCr()), 'utf8'), onFirstByte);
  }

  /**
   * An information response: `<CR><LF>` before the first line and after each, so a `+CMGL`
   * header is directly followed by its PDU line.
   */
  information(lines: readonly string[]): void {
    let text = '\r\n';
    for (const line of lines) text += `${line}${this.#nextDoubleCr() ? '\r\r\n' : '\r\n'}`;
    this.bytes(Buffer.from(text, 'utf8'));
  }

  #nextDoubleCr(): boolean {
    this.#linesSent += 1;
    const every = this.#profile.doubleCrEvery;
    return every > 0 && this.#linesSent % every === 0;
  }
}
