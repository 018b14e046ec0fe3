/** A parsed `listen` value (`admin.listen`, `reseller.listen`). */
export interface ListenAddress {
  host: string;
  port: number;
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
