import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate, gzipSync } from 'node:zlib';
import { GatewayError } from '../../errors.js';
import type { HttpReply } from '../../http/core/types.js';

/** Thrown for a `Content-Encoding` other than gzip/deflate/identity; answered with 415. */
export class UnsupportedEncodingError extends GatewayError {
  readonly statusCode = 415;
  constructor(encoding: string) {
    super('HTTP_RESELLER_ENCODING', `unsupported Content-Encoding "${encoding.slice(0, 32)}"`);
  }
}

/**
 * The request body as a stream of decoded bytes: `Content-Encoding: gzip` (and `deflate`)
 * bodies, which SMSHUB requires and Onlinesim probably sends (onlinesim-reseller.md §1), are
 * inflated on the way. The caller's body limit counts decoded bytes, so a small compressed bomb
 * is still refused.
 */
export function decodedBody(raw: Readable, headers: IncomingHttpHeaders): Readable {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return raw;
  let decoder: ReturnType<typeof createGunzip>;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
  else if (encoding === 'deflate') decoder = createInflate();
  else throw new UnsupportedEncodingError(encoding);
  raw.on('error', (err) => decoder.destroy(err));
  decoder.on('error', () => raw.unpipe(decoder));
  raw.pipe(decoder);
  return decoder;
}

/** Answers shorter than this are sent as they are: gzip would not pay for its header. */
export const GZIP_ANSWER_MIN_BYTES = 1024;

/** True when `Accept-Encoding` lists gzip with a non-zero q-value. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Gzips a JSON answer of at least `GZIP_ANSWER_MIN_BYTES` for a peer that accepts it
 * (onlinesim-reseller.md §1: "send them if the peer accepts them").
 */
export function encodeAnswer(reply: HttpReply, acceptEncoding: string | string[] | undefined): HttpReply {
  if (reply.body === undefined || reply.body === null) return reply;
  const text =
    typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  const headers = { 'content-type': 'application/json; charset=utf-8', ...reply.headers };
  if (Buffer.byteLength(text) < GZIP_ANSWER_MIN_BYTES || !acceptsGzip(acceptEncoding)) {
    return { ...reply, headers, body: text };
  }
  return {
    ...reply,
    headers: { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' },
    body: gzipSync(text),
  };
}
