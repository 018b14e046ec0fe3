import type { Readable, Transform } from 'node:stream';
import { createGunzip, createInflate, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors.js';

/** A decoded body stream; fastify checks `Content-Length` against the encoded byte count. */
type DecodedStream = Transform & { receivedEncodedLength?: number };

/** Thrown for a `Content-Encoding` other than gzip/deflate/identity; answered with 415. */
export class UnsupportedEncodingError extends GatewayError {
  readonly statusCode = 415;
  constructor(encoding: string) {
    super('HTTP_RESELLER_ENCODING', `unsupported Content-Encoding "${encoding}"`);
  }
}

/**
 * fastify `preParsing` hook: decodes `Content-Encoding: gzip` (and `deflate`) request bodies,
 * which SMSHUB requires and Onlinesim probably sends (onlinesim-reseller.md §1). fastify's body
 * limit then applies to the decoded bytes too, so a small compressed bomb is still refused.
 */
export async function decodeRequestBody(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: Readable,
): Promise<Readable> {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return payload;
  let decoder: DecodedStream;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
  else if (encoding === 'deflate') decoder = createInflate();
  else throw new UnsupportedEncodingError(encoding);
  let encoded = 0;
  payload.on('data', (chunk: Buffer) => {
    encoded += chunk.length;
    decoder.receivedEncodedLength = encoded;
  });
  payload.on('error', (err) => decoder.destroy(err));
  decoder.on('error', () => payload.unpipe(decoder));
  payload.pipe(decoder);
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
 * fastify `onSend` hook: gzips answers of at least `GZIP_ANSWER_MIN_BYTES` for a peer that
 * accepts it (onlinesim-reseller.md §1: "send them if the peer accepts them").
 */
export async function encodeAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  if (Buffer.byteLength(payload) < GZIP_ANSWER_MIN_BYTES) return payload;
  if (!acceptsGzip(request.headers['accept-encoding'])) return payload;
  reply.header('content-encoding', 'gzip');
  reply.header('vary', 'accept-encoding');
  reply.removeHeader('content-length');
  return gzipSync(payload);
}
