import type { Config } from '../config/index.js';
import { parseListenAddress } from '../config/index.js';

/** What the operator reads when `run` cannot listen: the key to change, never a stack. */
export interface StartFailure {
  code: string;
  /** The config key to change (not `key`: that name is redacted from logs, as the API key). */
  key: 'admin.listen' | 'reseller.listen';
  listen: string;
  message: string;
}

const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'is in use by another program (another simbridge? `ss -ltnp` shows who)',
  EACCES: 'may not be opened by this user (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'names an address this machine does not have',
};

/**
 * Recognises a listen failure (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL` from the admin or the
 * partner server) and names the config key it came from; null for any other error.
 */
export function describeStartFailure(err: unknown, config: Config): StartFailure | null {
  const error = err as NodeJS.ErrnoException & { port?: unknown };
  const code = typeof error?.code === 'string' ? error.code : '';
  const why = LISTEN_ERRORS[code];
  if (why === undefined) return null;
  const candidates: Array<[StartFailure['key'], string]> = [['admin.listen', config.admin.listen]];
  if (config.reseller) candidates.push(['reseller.listen', config.reseller.listen]);
  // The error carries the port it failed on; with one server configured, it is that one.
  const match =
    candidates.find(([, listen]) => parseListenAddress(listen).port === error.port) ??
    (candidates.length === 1 ? candidates[0] : undefined);
  if (!match) return null;
  const [key, listen] = match;
  return { code, key, listen, message: `${key} ${listen} ${why}; change ${key} or free the port` };
}
