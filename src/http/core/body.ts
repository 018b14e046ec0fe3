import { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { GatewayError } from '../../errors.js';

/** The body passed the limit (counted after any decoding). */
export class BodyTooLargeError extends GatewayError {
  constructor(readonly limitBytes: number) {
    super('HTTP_BODY_TOO_LARGE', `request body over ${limitBytes} bytes`);
  }
}

/** The body stream failed (a client abort, a corrupt gzip stream). */
export class BodyReadError extends GatewayError {
  constructor(cause: unknown) {
    super('HTTP_BODY_UNREADABLE', 'the request body could not be read', { cause });
  }
}

/**
 * Reads a whole body up to `limitBytes`. A declared `Content-Length` over the limit is refused
 * before reading; a stream that grows past it (chunked, or decoded from gzip) is stopped there.
 * The request itself is never destroyed, so the caller can still answer 413: what the peer keeps
 * sending is discarded and the answer closes the connection.
 */
export function readBody(stream: Readable, limitBytes: number, declaredLength?: string): Promise<Buffer> {
  if (declaredLength !== undefined && Number(declaredLength) > limitBytes) {
    stream.resume();
    return Promise.reject(new BodyTooLargeError(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size <= limitBytes) {
        chunks.push(buffer);
        return;
      }
      stop();
      // Errors after the refusal (the peer hanging up) have no one left to hear them.
      stream.on('error', () => undefined);
      // A decoder (gzip) is ours to stop; the request stream keeps flowing into nothing.
      if (!(stream instanceof IncomingMessage)) stream.destroy();
      else stream.resume();
      reject(new BodyTooLargeError(limitBytes));
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error): void => {
      stop();
      reject(new BodyReadError(err));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
