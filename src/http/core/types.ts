import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** One request as handlers see it; the body is read by the handler (`readBody`) when it wants it. */
export interface HttpRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Path only, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  remoteAddress: string | undefined;
  /** Route parameters (`/api/operations/:operationId`). */
  params: Record<string, string>;
  raw: IncomingMessage;
}

/** What a handler answers. `body` objects are sent as JSON. */
export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | object | null;
  /** Extra fields for the access log (e.g. the reseller action); never sent. */
  logFields?: Record<string, unknown>;
}

export type HttpHandler = (request: HttpRequest) => Promise<HttpReply> | HttpReply;

/** After each answer was written: what an access log needs. */
export interface ResponseEvent {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  remoteAddress: string | undefined;
  logFields: Record<string, unknown>;
}

/** Socket limits of one server. */
export interface ServerLimits {
  /** Time to receive the complete request headers; a slower peer gets 408 and is closed. */
  headersTimeoutMs: number;
  /** Time to receive the whole request (headers and body). */
  requestTimeoutMs: number;
  /** Idle time a kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Connections open at once; further ones are closed at accept. */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
};

/** PEM files' contents for Node's own TLS. */
export interface TlsMaterial {
  cert: string | Buffer;
  key: string | Buffer;
}
