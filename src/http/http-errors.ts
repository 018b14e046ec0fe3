import type { ZodIssue } from 'zod';
import { isGatewayError, messageWithoutCode } from '../errors.js';
import type { Logger } from '../log.js';
import { BodyReadError, BodyTooLargeError } from './core/body.js';
import type { HttpReply, HttpRequest } from './core/types.js';
import { InvalidJsonError, UnsupportedMediaTypeError } from './json-body.js';

/**
 * Error answers of the admin API: always JSON `{ "error": <code>, "message": <text> }`.
 * Codes:
 * - `HTTP_BAD_REQUEST` (400): a body, parameter or query that does not validate.
 * - `HTTP_INVALID_JSON` (400): the body is not JSON.
 * - `HTTP_UNKNOWN_PHONE` (400): the phone is not in the configured SIM map.
 * - `HTTP_OPERATION_ID_USED` (409): that operation id was used before.
 * - `HTTP_OPERATION_ACTIVE` (409): the phone has a live operation and the body did not ask to replace it.
 * - `HTTP_OPERATION_NOT_FOUND` (404): no operation with that id.
 * - `HTTP_UNAUTHORIZED` (401): the call needs `Authorization: Bearer <admin.token>` and it was
 *   missing or wrong (with `WWW-Authenticate: Bearer`).
 * - `HTTP_HOST_NOT_ALLOWED` (421): the `Host` header names a host this API does not serve (DNS rebinding).
 * - `HTTP_NOT_FOUND` (404): no such route, or metrics not enabled.
 * - `HTTP_METHOD_NOT_ALLOWED` (405): the path exists with other methods.
 * - `HTTP_BODY_TOO_LARGE` (413), `HTTP_UNSUPPORTED_MEDIA_TYPE` (415).
 * - `HTTP_INTERNAL` (500): anything unexpected (logged with its cause; the message stays generic).
 */
export type HttpErrorCode =
  | 'HTTP_BAD_REQUEST'
  | 'HTTP_INVALID_JSON'
  | 'HTTP_UNKNOWN_PHONE'
  | 'HTTP_OPERATION_ID_USED'
  | 'HTTP_OPERATION_ACTIVE'
  | 'HTTP_OPERATION_NOT_FOUND'
  | 'HTTP_SIM_NOT_FOUND'
  | 'HTTP_UNAUTHORIZED'
  | 'HTTP_HOST_NOT_ALLOWED'
  | 'HTTP_NOT_FOUND'
  | 'HTTP_METHOD_NOT_ALLOWED'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HTTP_UNSUPPORTED_MEDIA_TYPE'
  | 'HTTP_INTERNAL';

export interface HttpErrorBody {
  error: HttpErrorCode;
  message: string;
}

export function errorReply(
  status: number,
  error: HttpErrorCode,
  message: string,
  headers?: Record<string, string>,
): HttpReply {
  const body: HttpErrorBody = { error, message };
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

/** `phone: expected digits only; operationId: required`, one clause per problem. */
export function describeIssues(issues: readonly ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      const where = issue.path.join('.') || 'body';
      if (issue.code === 'invalid_type' && issue.received === 'undefined') return `${where}: required`;
      if (issue.code === 'invalid_type') return `${where}: expected ${issue.expected}, got ${issue.received}`;
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Maps a deps error to its answer by the code's suffix (`STORE_OPERATION_ID_USED` -> 409). */
export function operationErrorAnswer(err: unknown): { status: number; error: HttpErrorCode } | null {
  if (!isGatewayError(err)) return null;
  if (err.code.endsWith('_OPERATION_ID_USED')) return { status: 409, error: 'HTTP_OPERATION_ID_USED' };
  if (err.code.endsWith('_OPERATION_NOT_FOUND')) return { status: 404, error: 'HTTP_OPERATION_NOT_FOUND' };
  if (err.code.endsWith('_OPERATION_ID_INVALID')) return { status: 400, error: 'HTTP_BAD_REQUEST' };
  return null;
}

/** Body errors and anything else a handler threw. */
export function adminErrorReply(log: Logger) {
  return (err: unknown, request: HttpRequest): HttpReply => {
    if (err instanceof BodyTooLargeError)
      return errorReply(413, 'HTTP_BODY_TOO_LARGE', 'request body too large');
    if (err instanceof UnsupportedMediaTypeError) {
      return errorReply(415, 'HTTP_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    }
    if (err instanceof InvalidJsonError) return errorReply(400, 'HTTP_INVALID_JSON', err.reason);
    if (err instanceof BodyReadError)
      return errorReply(400, 'HTTP_BAD_REQUEST', 'the body could not be read');
    const mapped = operationErrorAnswer(err);
    if (mapped && isGatewayError(err))
      return errorReply(mapped.status, mapped.error, messageWithoutCode(err));
    log.error({ err, method: request.method, path: request.path }, 'admin API request failed');
    return errorReply(500, 'HTTP_INTERNAL', 'internal error; see the log');
  };
}
