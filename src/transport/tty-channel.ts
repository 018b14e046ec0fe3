/**
 * The Linux {@link ByteChannel}: the port is opened and configured (baud rate, raw mode,
 * exclusive lock) by serialport's native binding, then its file descriptor is read and written
 * on the event loop as a `tty.ReadStream` (libuv polls the non-blocking fd with epoll).
 *
 * ```
 *  open:   native open(path, baudRate) ──► fd (O_NONBLOCK, termios set, TIOCEXCL)
 *  I/O:    fd ──► tty.ReadStream ── 'data' → onData      write(bytes) → stream.write ──► fd
 *  end:    EOF / EIO / a failed write ──► onClose(error)   close() → stream.destroy() (closes fd)
 * ```
 *
 * Why not serialport's own stream: it reads every chunk with `fs.read` on libuv's thread pool
 * (about two round trips per chunk, one of them an EAGAIN) and waits for `tcdrain` there after
 * every write. The pool has four threads for every port of the farm, so under load one modem's
 * `+CMTI` waits behind other modems' reads. Here no byte goes through the pool.
 *
 * The stream owns the fd once it is made (closing it closes the fd). Only the binding's native
 * open is used: no `LinuxBinding` object, no poll handle.
 *
 * Writes go straight to the fd with `write(2)` when nothing is queued in the stream: an AT
 * command is a few bytes that the kernel takes at once, and the stream's path (a write request
 * object, callbacks, a tick) was a third of the CPU an idle modem's storage check costs. Only
 * what the kernel does not take at once (EAGAIN, a partial write) goes through the stream, which
 * waits for the fd to be writable; order is kept because the direct path is used only while the
 * stream holds nothing.
 */
import { closeSync, writeSync } from 'node:fs';
import tty from 'node:tty';
import type { LinuxOpenOptions } from '@serialport/bindings-cpp';
import { GatewayError, toError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ByteChannel } from './byte-channel.js';

export interface TtyChannelOptions {
  path: string;
  baudRate: number;
  log: Logger;
}

/**
 * The native open of serialport's Linux binding: opens `path` O_NONBLOCK, sets termios and takes
 * the TIOCEXCL lock, and resolves with the fd.
 */
type NativeOpen = (path: string, options: LinuxOpenOptions) => Promise<number>;

/**
 * What `LinuxBinding.open` passes to the native open (its defaults, @serialport/bindings-cpp 13):
 * raw 8N1, no flow control, the exclusive lock, DTR dropped on close.
 */
const OPEN_DEFAULTS: Omit<LinuxOpenOptions, 'path' | 'baudRate'> = {
  vmin: 1,
  vtime: 0,
  dataBits: 8,
  lock: true,
  stopBits: 1,
  parity: 'none',
  rtscts: false,
  xon: false,
  xoff: false,
  xany: false,
  hupcl: true,
};

/**
 * The native open alone, without `LinuxBinding` around it: that module graph (the `debug`
 * package and supports-color, child_process for `list()`, the fs poller) cost about 6 MB of
 * resident memory in the bridge, for a poller this file destroys at once.
 */
async function loadNativeOpen(): Promise<NativeOpen> {
  const { asyncOpen } = await import('@serialport/bindings-cpp/dist/load-bindings.js');
  return asyncOpen as NativeOpen;
}

/** Opens `path` (rejects with `AT_PORT_OPEN_FAILED`, cause: the OS error). */
export async function openTtyChannel(options: TtyChannelOptions): Promise<ByteChannel> {
  const { path, baudRate } = options;
  const log = options.log.child({ layer: 'transport', port: path });
  let fd: number;
  try {
    // Loaded lazily: tests over emulated in-process ports never load the native addon.
    const open = await loadNativeOpen();
    fd = await open(path, { ...OPEN_DEFAULTS, path, baudRate });
  } catch (err) {
    throw new GatewayError('AT_PORT_OPEN_FAILED', `cannot open ${path}`, {
      cause: err,
      context: { path, baudRate },
    });
  }
  if (!Number.isInteger(fd) || fd < 0) {
    throw new GatewayError('AT_PORT_OPEN_FAILED', `cannot open ${path}: no file descriptor`, {
      context: { path, baudRate },
    });
  }
  let stream: tty.ReadStream;
  try {
    stream = new tty.ReadStream(fd);
  } catch (err) {
    closeSync(fd);
    throw new GatewayError('AT_PORT_OPEN_FAILED', `cannot read ${path} as a terminal`, {
      cause: err,
      context: { path, baudRate },
    });
  }
  log.debug({ baudRate }, 'serial port open (event-loop I/O)');
  return new TtyChannel(stream, fd, path, log);
}

class TtyChannel implements ByteChannel {
  readonly name: string;
  readonly #stream: tty.ReadStream;
  /** The stream's fd, for direct writes; valid while the stream is not destroyed. */
  readonly #fd: number;
  readonly #log: Logger;
  readonly #dataListeners = new Set<(chunk: Uint8Array) => void>();
  readonly #closeListeners = new Set<(error: Error | null) => void>();
  #closed = false;
  #closing = false;
  /** Why the stream ended, when it ended on its own (EOF, EIO, a failed write). */
  #failure: Error | null = null;

  constructor(stream: tty.ReadStream, fd: number, name: string, log: Logger) {
    this.#stream = stream;
    this.#fd = fd;
    this.name = name;
    this.#log = log;
    stream.on('data', (chunk: Buffer) => {
      for (const listener of this.#dataListeners) listener(chunk);
    });
    // A pty whose other end died reads EOF; an unplugged USB tty reads EIO (an 'error').
    stream.on('end', () => {
      this.#failure ??= new GatewayError('AT_PORT_CLOSED', `${name} ended (device gone)`, {
        context: { path: name },
      });
      stream.destroy();
    });
    stream.on('error', (err: Error) => {
      this.#failure ??= err;
    });
    stream.on('close', () => this.#onClosed(this.#closing ? null : this.#failure));
  }

  get isOpen(): boolean {
    return !this.#closed && !this.#closing && !this.#stream.destroyed;
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) {
      return Promise.reject(
        new GatewayError('AT_PORT_CLOSED', `${this.name} is closed`, { context: { path: this.name } }),
      );
    }
    let rest = data;
    if (this.#stream.writableLength === 0) {
      let written = 0;
      try {
        written = writeSync(this.#fd, data);
      } catch (err) {
        // EAGAIN: the kernel's buffer is full; the stream waits until the fd is writable.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return Promise.reject(this.#writeFailed(err));
      }
      if (written === data.length) return Promise.resolve();
      rest = data.subarray(written);
    }
    return new Promise<void>((resolve, reject) => {
      // The callback runs once the kernel took the bytes.
      this.#stream.write(rest, (err) => {
        if (err) reject(this.#writeFailed(err));
        else resolve();
      });
    });
  }

  /** A tty that cannot be written is gone: close, and let the owner reopen by path. */
  #writeFailed(err: unknown): GatewayError {
    const cause = toError(err);
    this.#failure ??= cause;
    this.#log.warn({ err: cause }, 'write failed; closing the port');
    this.#stream.destroy();
    return new GatewayError('AT_WRITE_FAILED', `writing to ${this.name} failed`, {
      cause,
      context: { path: this.name },
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
    if (this.#closed) return;
    if (!this.#stream.destroyed) {
      this.#closing = true;
      const closed = new Promise<void>((resolve) => this.#stream.once('close', () => resolve()));
      this.#stream.destroy();
      await closed;
    }
    this.#onClosed(null);
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
