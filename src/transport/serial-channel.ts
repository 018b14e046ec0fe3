/**
 * The real {@link ByteChannel}. On Linux, without a binding given, that is `openTtyChannel`
 * (event-loop I/O, see tty-channel.ts). Otherwise (a test's MockBinding, another platform) a
 * serial port through `@serialport/stream`:
 *
 * ```
 *  tty (ttyUSBn) ◀──▶ binding (bindings-cpp, or MockBinding in tests) ◀──▶ SerialPortStream
 *                                                                          │ 'data'  → onData
 *                                                                          │ 'close' → onClose(err)
 *                                        write(bytes) → stream.write + drain ┘
 * ```
 *
 * On USB unplug serialport usually closes the stream itself and emits `close` with a
 * `DisconnectedError`; that error reaches `onClose` listeners so the owner can reopen by the
 * stable path once udev brings the device back. It does not always notice: a vanished tty
 * (seen with pseudo-terminals whose other end died) can stay "open" until a write fails with
 * EIO. So a failed write or drain closes the channel too, reporting that error: a tty that
 * cannot be written is of no further use, and the owner's reopen path is the recovery.
 */
import type { SerialPortStream } from '@serialport/stream';
import { GatewayError, toError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ByteChannel } from './byte-channel.js';
import { openTtyChannel } from './tty-channel.js';

/** A serialport binding (`BindingInterface`), as `SerialPortStream` takes it. */
export type SerialBinding = ConstructorParameters<typeof SerialPortStream>[0]['binding'];

export interface SerialChannelOptions {
  /** Port path, e.g. `/dev/gsm/slot03-at` (a stable udev symlink, not ttyUSBn). */
  path: string;
  baudRate: number;
  /**
   * Read and write through this serialport binding and `@serialport/stream`. Default: on Linux
   * the event-loop tty channel, elsewhere the platform binding (bindings-cpp autoDetect).
   */
  binding?: SerialBinding;
  log: Logger;
}

async function defaultBinding(): Promise<SerialBinding> {
  // Loaded lazily so that tests over MockBinding never load the native addon.
  const { autoDetect } = await import('@serialport/bindings-cpp');
  return autoDetect();
}

/**
 * Opens a serial port and returns it as a {@link ByteChannel}. Rejects with
 * `AT_PORT_OPEN_FAILED` (cause: the OS error) when the port cannot be opened.
 */
export async function openSerialChannel(options: SerialChannelOptions): Promise<ByteChannel> {
  const { path, baudRate } = options;
  if (options.binding === undefined && process.platform === 'linux') return openTtyChannel(options);
  const log = options.log.child({ layer: 'transport', port: path });
  const binding = options.binding ?? (await defaultBinding());
  // Loaded lazily: the Linux path above does not need the stream layer in memory.
  const { SerialPortStream } = await import('@serialport/stream');
  const stream = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    stream.open((err) => {
      if (err === null) {
        resolve();
        return;
      }
      reject(
        new GatewayError('AT_PORT_OPEN_FAILED', `cannot open ${path}`, {
          cause: err,
          context: { path, baudRate },
        }),
      );
    });
  });
  log.debug({ baudRate }, 'serial port open');
  return new SerialChannel(stream, path, log);
}

class SerialChannel implements ByteChannel {
  readonly name: string;
  readonly #stream: SerialPortStream;
  readonly #log: Logger;
  readonly #dataListeners = new Set<(chunk: Uint8Array) => void>();
  readonly #closeListeners = new Set<(error: Error | null) => void>();
  #closed = false;
  /** The first write or stream error: the reason given if the port then closes. */
  #failure: Error | null = null;

  constructor(stream: SerialPortStream, name: string, log: Logger) {
    this.#stream = stream;
    this.name = name;
    this.#log = log;
    stream.on('data', (chunk: Buffer) => {
      for (const listener of this.#dataListeners) listener(chunk);
    });
    stream.on('close', (err: Error | null | undefined) => this.#onClosed(err ?? this.#failure));
    // Write errors also arrive through the write callback; listening keeps them from being
    // thrown as unhandled 'error' events, and remembers them as the reason of a later close.
    stream.on('error', (err: Error) => {
      this.#failure ??= err;
      this.#log.warn({ err }, 'serial port error');
    });
  }

  get isOpen(): boolean {
    return !this.#closed && this.#stream.isOpen;
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) {
      // Closed underneath without a 'close' event yet (still closing, or a binding that
      // dropped the port): make sure listeners hear about it.
      if (!this.#closed && !this.#stream.closing)
        this.#onClosed(this.#failure ?? new Error('port closed underneath'));
      return Promise.reject(
        new GatewayError('AT_PORT_CLOSED', `${this.name} is closed`, { context: { path: this.name } }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown): void => {
        if (failed) return;
        failed = true;
        const cause = toError(err);
        reject(
          new GatewayError('AT_WRITE_FAILED', `writing to ${this.name} failed`, {
            cause,
            context: { path: this.name },
          }),
        );
        this.#closeAfterFailure(cause);
      };
      this.#stream.write(Buffer.from(data), (err) => {
        if (err) fail(err);
      });
      this.#stream.drain((err) => (err ? fail(err) : resolve()));
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
    if (this.#closed || !this.#stream.isOpen) {
      this.#onClosed(null);
      return;
    }
    await new Promise<void>((resolve) => {
      this.#stream.close((err) => {
        if (err) this.#log.warn({ err }, 'closing the serial port failed');
        resolve();
      });
    });
    this.#onClosed(null);
  }

  #closeAfterFailure(cause: Error): void {
    this.#failure ??= cause;
    if (this.#closed) return;
    this.#log.warn({ err: cause }, 'write failed; closing the port');
    if (!this.#stream.isOpen || this.#stream.closing) {
      this.#onClosed(this.#failure);
      return;
    }
    // The 'close' event then reports the failure to listeners.
    this.#stream.close(() => this.#onClosed(this.#failure));
  }

  #onClosed(error: Error | null): void {
    if (this.#closed) return;
    this.#closed = true;
    if (error === null) this.#log.debug('serial port closed');
    else this.#log.warn({ err: error }, 'serial port closed by failure');
    for (const listener of this.#closeListeners) {
      try {
        listener(error);
      } catch (err) {
        this.#log.warn({ err }, 'close listener threw');
      }
    }
    this.#closeListeners.clear();
    this.#dataListeners.clear();
  }
}
