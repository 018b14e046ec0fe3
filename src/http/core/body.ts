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
 */
export async function readBody(
  stream: Readable,
  limitBytes: number,
  declaredLength?: string,
): Promise<Buffer> {
  if (declaredLength !== undefined && Number(declaredLength) > limitBytes) {
    stream.resume();
    throw new BodyTooLargeError(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > limitBytes) {
        stream.destroy();
        throw new BodyTooLargeError(limitBytes);
      }
      chunks.push(buffer);
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw err;
    throw new BodyReadError(err);
  }
  return Buffer.concat(chunks);
}
