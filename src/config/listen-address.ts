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
