import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodIssue } from 'zod';
import { isGatewayError, messageWithoutCode } from '../errors.js';
import type { Logger } from '../log.js';

/**
 * Error answers of the admin API: always JSON `{ "error": <code>, "message": <text> }`.
 * Codes:
 * - `HTTP_BAD_REQUEST` (400): a body, parameter or query that does not validate.
 * - `HTTP_INVALID_JSON` (400): the body is not JSON.
 * - `HTTP_UNKNOWN_PHONE` (400): the phone is not in the configured SIM map.
 * - `HTTP_OPERATION_ID_USED` (409): that operation id was used before.
 * - `HTTP_OPERATION_NOT_FOUND` (404): no operation with that id.
 * - `HTTP_NOT_FOUND` (404): no such route, or metrics not enabled.
 * - `HTTP_BODY_TOO_LARGE` (413), `HTTP_UNSUPPORTED_MEDIA_TYPE` (415).
 * - `HTTP_INTERNAL` (500): anything unexpected (logged with its cause; the message stays generic).
 */
export type HttpErrorCode =
  | 'HTTP_BAD_REQUEST'
  | 'HTTP_INVALID_JSON'
  | 'HTTP_UNKNOWN_PHONE'
  | 'HTTP_OPERATION_ID_USED'
  | 'HTTP_OPERATION_NOT_FOUND'
  | 'HTTP_NOT_FOUND'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HTTP_UNSUPPORTED_MEDIA_TYPE'
  | 'HTTP_INTERNAL';

export interface HttpErrorBody {
  error: HttpErrorCode;
  message: string;
}

export function sendError(
  reply: FastifyReply,
  status: number,
  error: HttpErrorCode,
  message: string,
): FastifyReply {
  const body: HttpErrorBody = { error, message };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
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

/** Fastify's own errors (body parsing, limits) and anything thrown by a handler. */
export function errorHandler(log: Logger) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const mapped = operationErrorAnswer(err);
    if (mapped) return sendError(reply, mapped.status, mapped.error, messageWithoutCode(err));
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, 'HTTP_BODY_TOO_LARGE', 'request body too large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, 'HTTP_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, 400, 'HTTP_INVALID_JSON', 'the JSON body is empty');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendError(reply, 400, 'HTTP_INVALID_JSON', 'the body is not valid JSON');
    }
    if (err instanceof SyntaxError || (err.statusCode === 400 && err.code?.startsWith('FST_ERR_CTP'))) {
      return sendError(reply, 400, 'HTTP_INVALID_JSON', 'the body is not valid JSON');
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, err.statusCode, 'HTTP_BAD_REQUEST', err.message);
    }
    log.error({ err, method: request.method, url: request.url }, 'admin API request failed');
    return sendError(reply, 500, 'HTTP_INTERNAL', 'internal error; see the log');
  };
}
