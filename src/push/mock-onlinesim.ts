import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for Onlinesim's PUSH_SMS endpoint: a real `node:http` server with scripted
 * answers that records every request. Used by the push tests, the end-to-end tests, the
 * benchmark and `simbridge demo` (which is why it lives under src/ and not test/).
 */

/** One scripted answer. Defaults: 200, body `{"status":"SUCCESS"}`. */
export interface MockAnswer {
  status?: number;
  /** A string is sent as is; anything else as JSON. */
  body?: string | object;
  headers?: Record<string, string>;
  /** Wait this long before answering (real time). */
  delayMs?: number;
  /** Never answer (the client's timeout fires); the socket is closed by `close()`. */
  hang?: boolean;
  /** Destroy the connection without an answer (a reset). */
  reset?: boolean;
}

/** A request as received. */
export interface RecordedRequest {
  /** Epoch ms (real clock) when the body had arrived. */
  atMs: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON, or null when it was not JSON. */
  body: unknown;
}

export type MockScript =
  | readonly MockAnswer[]
  | ((request: RecordedRequest, index: number) => MockAnswer | Promise<MockAnswer>);

export interface MockOnlinesimOptions {
  /** An array is consumed in order, then every further request gets the default 200. */
  script?: MockScript;
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

export interface MockOnlinesim {
  /** Base URL with the PUSH_SMS path, e.g. `http://127.0.0.1:41234/v1/PUSH_SMS`. */
  url: string;
  port: number;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Replaces the script; request numbering continues. */
  setScript(script: MockScript): void;
  /** Resolves once at least `count` requests have arrived; rejects after `timeoutMs` (real). */
  waitForRequests(count: number, timeoutMs?: number): Promise<readonly RecordedRequest[]>;
  close(): Promise<void>;
}

const DEFAULT_ANSWER: Required<Pick<MockAnswer, 'status' | 'body'>> = {
  status: 200,
  body: { status: 'SUCCESS' },
};

/** Starts the mock on `host:port` (default 127.0.0.1, any port). */
export async function startMockOnlinesim(options: MockOnlinesimOptions = {}): Promise<MockOnlinesim> {
  let script: MockScript = options.script ?? [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();

  const answerFor = async (request: RecordedRequest, index: number): Promise<MockAnswer> => {
    if (typeof script === 'function') return script(request, index);
    return script[index] ?? DEFAULT_ANSWER;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const request: RecordedRequest = {
        atMs: Date.now(),
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
      };
      const index = requests.push(request) - 1;
      for (const wake of waiters) wake();
      answerFor(request, index).then(
        (answer) => respond(res, answer),
        (err: unknown) => respond(res, { status: 500, body: `mock script failed: ${String(err)}` }),
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/v1/PUSH_SMS`,
    port: address.port,
    requests,
    setScript(next) {
      script = next;
    },
    waitForRequests(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (requests.length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(requests);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`mock Onlinesim: ${requests.length} of ${count} requests after ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function respond(res: ServerResponse, answer: MockAnswer): void {
  if (answer.hang) return;
  const send = (): void => {
    if (answer.reset) {
      res.socket?.destroy();
      return;
    }
    const body = answer.body ?? (answer.status === undefined ? DEFAULT_ANSWER.body : '');
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const contentType =
      typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    res.writeHead(answer.status ?? DEFAULT_ANSWER.status, { 'content-type': contentType, ...answer.headers });
    res.end(text);
  };
  if (answer.delayMs !== undefined && answer.delayMs > 0) setTimeout(send, answer.delayMs);
  else send();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
