import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InjectOptions {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer | object;
}

/** An answer as tests read it. */
export interface InjectResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8. */
  body: string;
  payload: string;
  rawPayload: Buffer;
  /** Parsed JSON; name the shape with `json<T>()` to go deeper than one level. */
  json<T = Record<string, unknown>>(): T;
}

/** Sends one request to `server` (listening on loopback) and reads the whole answer. */
export function injectInto(server: Server, options: InjectOptions): Promise<InjectResponse> {
  const { port } = server.address() as AddressInfo;
  const headers: Record<string, string> = { ...options.headers };
  let payload: Buffer | undefined;
  if (options.payload !== undefined) {
    if (typeof options.payload === 'string') payload = Buffer.from(options.payload);
    else if (Buffer.isBuffer(options.payload)) payload = options.payload;
    else {
      payload = Buffer.from(JSON.stringify(options.payload));
      headers['content-type'] ??= 'application/json';
    }
    headers['content-length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.url, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const rawPayload = Buffer.concat(chunks);
          const body = rawPayload.toString('utf8');
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body,
            payload: body,
            rawPayload,
            json: () => JSON.parse(body),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
