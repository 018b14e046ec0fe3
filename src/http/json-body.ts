import { GatewayError } from '../errors.js';
import { readBody } from './core/body.js';
import type { HttpRequest } from './core/types.js';

export class UnsupportedMediaTypeError extends GatewayError {
  constructor() {
    super('HTTP_UNSUPPORTED_MEDIA_TYPE', 'the body is not application/json');
  }
}

export class InvalidJsonError extends GatewayError {
  constructor(readonly reason: string) {
    super('HTTP_INVALID_JSON', reason);
  }
}

/**
 * The admin API's request body: JSON only (`application/json` or `+json`), at most
 * `limitBytes`. No body at all is `undefined`, which validation then names as missing.
 */
export async function readJsonBody(request: HttpRequest, limitBytes: number): Promise<unknown> {
  const type = request.headers['content-type'];
  const length = request.headers['content-length'];
  const hasBody =
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
  if (type === undefined && !hasBody) return undefined;
  const mediaType = (type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) throw new UnsupportedMediaTypeError();
  const text = (await readBody(request.raw, limitBytes, length)).toString('utf8');
  if (text.trim() === '') throw new InvalidJsonError('the JSON body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidJsonError('the body is not valid JSON');
  }
}
