/**
 * The engine's only view of a serial port: bytes in, bytes out. The real implementation wraps
 * `serialport`; tests use a scripted fake of a few lines.
 */
export interface ByteChannel {
  /** Writes bytes; resolves when the transport has accepted them (drained). */
  write(data: Uint8Array): Promise<void>;
  /** Subscribes to incoming chunks as they arrive; returns an unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Called once when the channel closes, with the error if it closed by failure (USB unplug). */
  onClose(listener: (error: Error | null) => void): () => void;
  /** Closes the channel; idempotent. */
  close(): Promise<void>;
  readonly isOpen: boolean;
  /** Human-readable name for logs, e.g. the port path. */
  readonly name: string;
}
