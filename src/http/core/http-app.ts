import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type InjectOptions, type InjectResponse, injectInto } from './inject.js';
import {
  DEFAULT_SERVER_LIMITS,
  type HttpHandler,
  type HttpReply,
  type HttpRequest,
  type ResponseEvent,
  type ServerLimits,
  type TlsMaterial,
} from './types.js';

/** Time `close()` lets requests in progress finish before cutting their connections. */
const CLOSE_GRACE_MS = 2_000;

export interface HttpAppOptions {
  /** Answers every request; a throw goes to `onError`. */
  handle: HttpHandler;
  /** The answer to a handler that threw (log it there). */
  onError: (err: unknown, request: HttpRequest) => HttpReply;
  limits?: Partial<ServerLimits>;
  /** Node's own TLS; `node:https` is loaded only then. */
  tls?: TlsMaterial;
  /** Connections refused at the cap, as they happen (log with a rate limit). */
  onConnectionDropped?: () => void;
  /** Called once the server listens, with the host it bound (warn about exposure there). */
  onListening?: (host: string, url: string) => void;
}

export interface ListenOptions {
  host: string;
  port: number;
}

/**
 * One HTTP (or HTTPS) server on `node:http`, with the socket limits set and an `inject` for
 * tests. A small replacement for a web framework: the admin API and the partner endpoint need
 * routing, JSON, limits and an access log, and the framework cost the bridge about 15 MB of RSS.
 */
export class HttpApp {
  readonly #options: HttpAppOptions;
  readonly #limits: ServerLimits;
  readonly #listeners = new Set<(event: ResponseEvent) => void>();
  #server: Server | null = null;
  #injectServer: Server | null = null;
  #injectReady: Promise<Server> | null = null;
  #closing = false;

  constructor(options: HttpAppOptions) {
    this.#options = options;
    this.#limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  }

  /** The listening server (plain HTTP apps create it on first use; TLS ones at `listen`). */
  get server(): Server {
    if (this.#server) return this.#server;
    if (this.#options.tls) throw new Error('a TLS server exists once listen() has run');
    this.#server = this.#configure(createServer(this.#serverOptions(), this.#listener));
    return this.#server;
  }

  get limits(): Readonly<ServerLimits> {
    return this.#limits;
  }

  /** Subscribes to every answer written (access log, benchmarks). */
  onResponse(listener: (event: ResponseEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Listens; resolves with the URL (`http://127.0.0.1:8930`). */
  async listen({ host, port }: ListenOptions): Promise<string> {
    if (this.#options.tls && !this.#server) {
      const https = await import('node:https');
      const server = https.createServer(
        { ...this.#serverOptions(), cert: this.#options.tls.cert, key: this.#options.tls.key },
        this.#listener,
      );
      this.#server = this.#configure(server as unknown as Server);
    }
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `${this.#options.tls ? 'https' : 'http'}://${shownHost}:${address.port}`;
    this.#options.onListening?.(host, url);
    return url;
  }

  /**
   * Stops accepting, closes idle connections, lets requests in progress finish (their answers
   * close the connection), and cuts what is still open after a short grace.
   */
  async close(): Promise<void> {
    this.#closing = true;
    const servers = [this.#server, this.#injectServer].filter((s): s is Server => s !== null);
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) return resolve();
            const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
            server.close(() => {
              clearTimeout(cut);
              resolve();
            });
            server.closeIdleConnections();
          }),
      ),
    );
  }

  /** Sends one request through the same handler over a private loopback socket (tests). */
  async inject(options: InjectOptions | string): Promise<InjectResponse> {
    this.#injectReady ??= new Promise<Server>((resolve) => {
      const server = createServer({ keepAlive: false }, this.#listener);
      this.#injectServer = server;
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
    const server = await this.#injectReady;
    return injectInto(server, typeof options === 'string' ? { url: options } : options);
  }

  #serverOptions() {
    const headersTimeout = this.#limits.headersTimeoutMs;
    const requestTimeout = Math.max(this.#limits.requestTimeoutMs, headersTimeout);
    return {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: this.#limits.keepAliveTimeoutMs,
      // Node checks both timeouts on this period (30 s by default): a fraction of the shorter.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
    };
  }

  #configure(server: Server): Server {
    server.maxConnections = this.#limits.maxConnections;
    server.on('drop', () => this.#options.onConnectionDropped?.());
    return server;
  }

  readonly #listener = (raw: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const url = raw.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const request: HttpRequest = {
      method: raw.method ?? 'GET',
      url,
      path,
      query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)),
      headers: raw.headers,
      remoteAddress: raw.socket.remoteAddress,
      params: {},
      raw,
    };
    void Promise.resolve()
      .then(() => this.#options.handle(request))
      .catch((err: unknown) => this.#options.onError(err, request))
      .then((reply) => {
        write(res, request, reply, this.#closing);
        const event: ResponseEvent = {
          method: request.method,
          path,
          status: reply.status,
          durationMs: performance.now() - started,
          remoteAddress: request.remoteAddress,
          logFields: reply.logFields ?? {},
        };
        res.once('finish', () => {
          event.durationMs = performance.now() - started;
          for (const listener of this.#listeners) listener(event);
        });
      })
      .catch(() => res.destroy());
  };
}

function write(res: ServerResponse, request: HttpRequest, reply: HttpReply, closing: boolean): void {
  let payload: Buffer | string | undefined;
  const headers: Record<string, string> = { ...reply.headers };
  const body = reply.body;
  if (body === undefined || body === null) payload = undefined;
  else if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
  else {
    payload = JSON.stringify(body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  // A request whose body was not read (refused early) must not be read as the next request.
  // After close(), answers end their connection so that close() does not wait on keep-alive.
  if (!request.raw.complete || closing) headers.connection = 'close';
  res.writeHead(reply.status, headers);
  if (request.method === 'HEAD' || payload === undefined) res.end();
  else res.end(payload);
}
