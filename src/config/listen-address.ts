import { isIP } from 'node:net';

/** A parsed `listen` value (`admin.listen`, `reseller.listen`). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
const LISTEN_PATTERN = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*):(\d{1,5})$/;

/** Why `listen` is not a listen address (for config issues and CLI usage errors), or null. */
export function listenAddressProblem(listen: string): string | null {
  const match = LISTEN_PATTERN.exec(listen);
  const port = match ? Number(match[1]) : Number.NaN;
  if (!match || port < 0 || port > 65_535) return `expected "host:port", got ${JSON.stringify(listen)}`;
  return null;
}

/**
 * Splits `host:port`, `[::1]:port` or `:port` (all interfaces, `0.0.0.0`). The schema has
 * already checked the shape; this only takes it apart for `server.listen`.
 */
export function parseListenAddress(listen: string): ListenAddress {
  const colon = listen.lastIndexOf(':');
  let host = listen.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host: host === '' ? '0.0.0.0' : host, port: Number(listen.slice(colon + 1)) };
}

/**
 * `localhost`, `*.localhost` (RFC 6761), 127.0.0.0/8, `::1` and their IPv4-mapped forms. The
 * config uses it to refuse an unauthenticated admin API beyond loopback, the admin server to
 * decide which `Host` headers and which reads need no token.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** True when `listen` (`host:port`) binds loopback only; `:port`, `0.0.0.0`, `::` and names are not. */
export function isLoopbackListen(listen: string): boolean {
  return isLoopbackHost(parseListenAddress(listen).host);
}
