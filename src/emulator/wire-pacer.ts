/**
 * Serial line timing: a UART with 8N1 framing puts 10 bits on the wire per byte, so at
 * `baudRate` bit/s at most `baudRate / 10` bytes per second flow in each direction.
 *
 * Output is released on a shared ticker (one timer for every busy pacer, not one per byte or per
 * modem), so 64 modems cost one 1 ms interval. Input is delayed by its wire time.
 *
 * Output reaches the host in USB packets, as from a real stick: a USB modem's tty (option,
 * cdc-acm) and a USB-UART bridge (FTDI, CP210x, CH340) hand the host bulk packets of up to 64
 * bytes at full speed, not a byte stream. A packet is released once its last byte has crossed
 * the wire at the line rate; the tail of an answer goes out as a short packet as soon as its
 * last byte has, like a modem that flushes at the end of what it writes. With `packetBytes` 1
 * the host sees the raw byte stream of a bare UART (each tick's bytes at once).
 *
 * The schedule is the wire's, not the emulator's timers': an answer written while a command is
 * handed over starts on the line when the command's last byte arrived, so a timer that fires
 * late (by its whole-millisecond rounding or a busy event loop) does not add its lateness to
 * every round trip. Bytes still never leave before the line has carried them.
 */

/** Bulk packet size of a full-speed USB device: what one read of a USB modem's tty gets at most. */
export const USB_FULL_SPEED_PACKET_BYTES = 64;

/** Bits on the wire per byte: start bit, 8 data bits, stop bit. */
export const BITS_PER_BYTE = 10;

/** Milliseconds `byteCount` bytes occupy a line at `baudRate` (0 = unlimited → 0 ms). */
export function wireTimeMs(byteCount: number, baudRate: number): number {
  if (baudRate <= 0) return 0;
  return (byteCount * BITS_PER_BYTE * 1000) / baudRate;
}

interface OutputChunk {
  bytes: Uint8Array;
  offset: number;
  onFirstByte: ((atMs: number) => void) | undefined;
}

interface PendingInput {
  bytes: Uint8Array;
  readyAtMs: number;
}

/** One shared interval drives every pacer that has bytes queued. */
const TICK_MS = 1;
const busyPacers = new Set<WirePacer>();
let ticker: {
  handle: NodeJS.Timeout;
  setIntervalUsed: typeof setInterval;
  clear: typeof clearInterval;
} | null = null;

function stopTicker(): void {
  if (ticker === null) return;
  ticker.clear(ticker.handle);
  ticker = null;
}

function ensureTicker(): void {
  // A ticker made under other timer functions (fake timers swapped in or out) is replaced.
  if (ticker !== null && ticker.setIntervalUsed === globalThis.setInterval) return;
  stopTicker();
  const handle = setInterval(() => {
    for (const pacer of busyPacers) pacer.tick();
    if (busyPacers.size === 0) stopTicker();
  }, TICK_MS);
  handle.unref?.();
  ticker = { handle, setIntervalUsed: globalThis.setInterval, clear: globalThis.clearInterval };
}

export interface WirePacerOptions {
  baudRate: number;
  now: () => number;
  /** Receives bytes towards the host, at line speed. */
  deliver: (bytes: Uint8Array) => void;
  /** Receives bytes from the host once their last byte has crossed the wire. */
  receive: (bytes: Uint8Array) => void;
  /** Bytes per packet towards the host (default `USB_FULL_SPEED_PACKET_BYTES`; 1 = byte stream). */
  packetBytes?: number;
}

/** Paces both directions of one emulated serial line. */
export class WirePacer {
  readonly #options: WirePacerOptions;
  readonly #bytesPerMs: number;
  readonly #packetBytes: number;
  readonly #output: OutputChunk[] = [];
  /** Start of the current busy period of the output line, and bytes sent since then. */
  #lineStartMs = 0;
  #sentSinceStart = 0;
  readonly #input: PendingInput[] = [];
  #inputBusyUntilMs = 0;
  #inputTimer: NodeJS.Timeout | null = null;
  /** While a command is handed to `receive`, when its last byte crossed the wire (see above). */
  #receivedAtMs: number | null = null;

  constructor(options: WirePacerOptions) {
    this.#options = options;
    this.#bytesPerMs = options.baudRate > 0 ? options.baudRate / BITS_PER_BYTE / 1000 : 0;
    const packet = options.packetBytes ?? USB_FULL_SPEED_PACKET_BYTES;
    if (!Number.isInteger(packet) || packet < 1) {
      throw new RangeError(`packetBytes must be a whole number >= 1 (got ${packet})`);
    }
    this.#packetBytes = packet;
  }

  get unlimited(): boolean {
    return this.#bytesPerMs === 0;
  }

  /** Bytes waiting to go to the host. */
  get pendingOutputBytes(): number {
    let total = 0;
    for (const chunk of this.#output) total += chunk.bytes.length - chunk.offset;
    return total;
  }

  /** Queues bytes towards the host; `onFirstByte` fires when the first one is on the line. */
  send(bytes: Uint8Array, onFirstByte?: (atMs: number) => void): void {
    if (bytes.length === 0) return;
    if (this.unlimited) {
      onFirstByte?.(this.#options.now());
      this.#options.deliver(bytes);
      return;
    }
    if (this.#output.length === 0) {
      const writtenAtMs = this.#receivedAtMs ?? this.#options.now();
      // An idle line starts a new busy period; a line still draining continues its own.
      if (this.#lineStartMs + this.#sentSinceStart / this.#bytesPerMs <= writtenAtMs) {
        this.#lineStartMs = writtenAtMs;
        this.#sentSinceStart = 0;
      }
    }
    this.#output.push({ bytes, offset: 0, onFirstByte });
    busyPacers.add(this);
    ensureTicker();
    // A line still draining may already owe bytes of this chunk.
    this.tick();
  }

  /**
   * Releases the bytes whose wire time is complete. Called by the ticker. Counting whole bytes
   * since the start of the busy period keeps rounding from accumulating.
   */
  tick(): void {
    const now = this.#options.now();
    let budget = Math.floor((now - this.#lineStartMs) * this.#bytesPerMs + 1e-9) - this.#sentSinceStart;
    // Only whole packets, but for the tail: once every queued byte has crossed, the rest goes.
    if (budget < this.pendingOutputBytes) budget -= budget % this.#packetBytes;
    if (budget <= 0) return;
    const parts: Uint8Array[] = [];
    while (budget > 0 && this.#output.length > 0) {
      const chunk = this.#output[0] as OutputChunk;
      if (chunk.offset === 0 && chunk.onFirstByte) {
        chunk.onFirstByte(this.#lineStartMs + this.#sentSinceStart / this.#bytesPerMs);
      }
      const take = Math.min(budget, chunk.bytes.length - chunk.offset);
      parts.push(chunk.bytes.subarray(chunk.offset, chunk.offset + take));
      chunk.offset += take;
      budget -= take;
      this.#sentSinceStart += take;
      if (chunk.offset >= chunk.bytes.length) this.#output.shift();
    }
    if (this.#output.length === 0) busyPacers.delete(this);
    if (parts.length === 1) this.#options.deliver(parts[0] as Uint8Array);
    else if (parts.length > 1) this.#options.deliver(Buffer.concat(parts));
  }

  /** Bytes arrive from the host; they are handed on once their wire time has elapsed. */
  accept(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.unlimited) {
      this.#options.receive(bytes);
      return;
    }
    const now = this.#options.now();
    const start = Math.max(now, this.#inputBusyUntilMs);
    this.#inputBusyUntilMs = start + bytes.length / this.#bytesPerMs;
    this.#input.push({ bytes: Uint8Array.from(bytes), readyAtMs: this.#inputBusyUntilMs });
    this.#scheduleInput();
  }

  #scheduleInput(): void {
    if (this.#inputTimer !== null) return;
    const head = this.#input[0];
    if (!head) return;
    const delay = Math.max(0, head.readyAtMs - this.#options.now());
    this.#inputTimer = setTimeout(() => {
      this.#inputTimer = null;
      const now = this.#options.now();
      while (this.#input.length > 0 && (this.#input[0] as PendingInput).readyAtMs <= now + 0.5) {
        const input = this.#input.shift() as PendingInput;
        // Never later than now: the half millisecond of slack above must not date a reply ahead.
        this.#receivedAtMs = Math.min(input.readyAtMs, now);
        try {
          this.#options.receive(input.bytes);
        } finally {
          this.#receivedAtMs = null;
        }
      }
      this.#scheduleInput();
    }, Math.ceil(delay));
  }

  /** Drops everything in flight (unplug, power loss). */
  clear(): void {
    this.#output.length = 0;
    this.#input.length = 0;
    busyPacers.delete(this);
    if (busyPacers.size === 0) stopTicker();
    if (this.#inputTimer !== null) clearTimeout(this.#inputTimer);
    this.#inputTimer = null;
  }
}
