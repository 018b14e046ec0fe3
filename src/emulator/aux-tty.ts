import { EventEmitter } from 'node:events';
import type { EmulatedModem } from './modem.js';
import type { PtyEndpointEvents } from './pty-port.js';

/**
 * The other ttys of an emulated USB modem, next to the one the modem speaks AT on: a DIAG or
 * audio port that never answers, a GPS port streaming NMEA sentences whatever is written to it,
 * or a secondary AT port that answers `AT` (and a few queries) but never carries a URC. They
 * follow the modem's unplug and replug, as every interface of a USB device does.
 */
export type AuxTtyKind = 'silent' | 'nmea' | 'secondary-at';

export interface AuxTtyOptions {
  name: string;
  kind: AuxTtyKind;
  /** The modem whose USB device this tty belongs to. */
  modem: EmulatedModem;
  /** Answers of the secondary AT port by command (`AT^GETPORTMODE`: its lines before OK). */
  answers?: Readonly<Record<string, readonly string[]>>;
  /** Period of the NMEA sentences. Default 200 ms. */
  nmeaIntervalMs?: number;
}

const GGA = 'GPGGA,123519,5545.123,N,03737.456,E,1,08,0.9,145.4,M,14.5,M,,';

function nmeaSentence(body: string): string {
  let checksum = 0;
  for (const char of body) checksum ^= char.charCodeAt(0);
  return `$${body}*${checksum.toString(16).toUpperCase().padStart(2, '0')}\r\n`;
}

export class AuxTty extends EventEmitter<PtyEndpointEvents> {
  readonly name: string;
  readonly kind: AuxTtyKind;
  /** Bytes the host wrote here: a port that must never be opened must stay at 0. */
  bytesReceived = 0;
  readonly #options: AuxTtyOptions;
  #line = '';
  #plugged = true;
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #onUnplug = () => {
    this.#plugged = false;
    this.emit('unplugged');
  };
  readonly #onReplug = () => {
    this.#plugged = true;
    this.emit('replugged');
  };

  constructor(options: AuxTtyOptions) {
    super();
    this.name = options.name;
    this.kind = options.kind;
    this.#options = options;
    options.modem.on('unplugged', this.#onUnplug);
    options.modem.on('replugged', this.#onReplug);
    if (options.kind === 'nmea') {
      this.#timer = setInterval(() => this.#send(nmeaSentence(GGA)), options.nmeaIntervalMs ?? 200);
      this.#timer.unref();
    }
  }

  hostWrite(bytes: Uint8Array): void {
    this.bytesReceived += bytes.length;
    if (this.kind !== 'secondary-at') return;
    this.#line += Buffer.from(bytes).toString('latin1');
    for (let end = this.#line.indexOf('\r'); end >= 0; end = this.#line.indexOf('\r')) {
      const command = this.#line.slice(0, end).replace(/\n/g, '').trim();
      this.#line = this.#line.slice(end + 1);
      if (command !== '') this.#answer(command);
    }
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#options.modem.off('unplugged', this.#onUnplug);
    this.#options.modem.off('replugged', this.#onReplug);
  }

  #answer(command: string): void {
    const upper = command.toUpperCase();
    const lines = upper === 'AT' || upper === 'ATE0' ? [] : this.#options.answers?.[upper];
    if (lines === undefined) {
      this.#send('\r\nERROR\r\n');
      return;
    }
    this.#send(`${lines.map((line) => `\r\n${line}\r\n`).join('')}\r\nOK\r\n`);
  }

  #send(text: string): void {
    if (this.#plugged) this.emit('output', Buffer.from(text, 'latin1'));
  }
}
