import { networkInterfaces } from 'node:os';
import { isLoopbackHost } from '../config/listen-address.js';

export { isLoopbackHost };

/**
 * Which `Host` headers the admin API answers. On loopback its reads need no token, so a page on
 * any web site could otherwise read it through DNS rebinding: the attacker's name resolves to 127.0.0.1
 * and the browser sends `Host: evil.example`. Accepted: loopback names and addresses, the
 * address it listens on (every local interface address when that is a wildcard), and the names
 * listed in `admin.allowedHosts`.
 */
export class HostPolicy {
  readonly #allowed = new Set<string>();

  constructor(allowedHosts: readonly string[] = []) {
    for (const host of allowedHosts) this.#allowed.add(normalizeHost(host));
  }

  /** Adds the address the server listens on (a wildcard adds every interface address). */
  addListenHost(host: string): void {
    const normalized = normalizeHost(host);
    if (normalized === '0.0.0.0' || normalized === '::') {
      for (const list of Object.values(networkInterfaces())) {
        for (const info of list ?? []) this.#allowed.add(normalizeHost(info.address));
      }
      return;
    }
    this.#allowed.add(normalized);
  }

  /** A request without `Host` (HTTP/1.0 tools) is not a browser and passes. */
  allows(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined || hostHeader === '') return true;
    const host = hostWithoutPort(hostHeader);
    if (host === null) return false;
    return isLoopbackHost(host) || this.#allowed.has(host);
  }
}

function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** `example:8930` -> `example`, `[::1]:8930` -> `::1`; null when it is not a host at all. */
function hostWithoutPort(header: string): string | null {
  const value = header.trim();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end === -1) return null;
    return normalizeHost(value.slice(0, end + 1));
  }
  const colon = value.lastIndexOf(':');
  const host = colon === -1 ? value : value.slice(0, colon);
  if (!/^[a-z0-9.-]+$/i.test(host)) return null;
  return normalizeHost(host);
}
