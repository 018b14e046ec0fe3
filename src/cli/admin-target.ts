import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseListenAddress, resolveConfigPath, substituteEnv } from '../config/index.js';
import { DEFAULT_ADMIN_LISTEN } from '../config/schema.js';
import { GatewayError } from '../errors.js';

/**
 * Where the view commands (`simbridge messages`, `simbridge ops`) find the admin API and the
 * token it asks for. Only `admin.listen` and `admin.token` are read from the configuration,
 * without full validation: a view must work without the daemon's other secrets (the Onlinesim
 * key) in the environment.
 */

export const DEFAULT_ADMIN_URL = `http://${DEFAULT_ADMIN_LISTEN}`;

export interface AdminTarget {
  baseUrl: string;
  /** `admin.token` with its `${NAME}` references substituted; null when none is configured. */
  token: string | null;
  /** Why no token is sent although the config names one (an unset variable), for a 401's message. */
  tokenHint: string | null;
}

export interface AdminTargetFlags {
  admin?: string | undefined;
  config?: string | undefined;
}

interface AdminSection {
  listen?: unknown;
  token?: unknown;
}

/**
 * The URL: `--admin`, else `admin.listen` of the configuration (`--config`, `$SIMBRIDGE_CONFIG`,
 * `./config/simbridge.yaml`), else `http://127.0.0.1:8930`; a wildcard listen (`0.0.0.0`, `::`)
 * is reached on loopback. The token: `admin.token` of that configuration, its `${NAME}` taken
 * from `env` (export `SIMBRIDGE_ADMIN_TOKEN` in the operator's shell as in the service's).
 */
export function resolveAdminTarget(flags: AdminTargetFlags, env: NodeJS.ProcessEnv): AdminTarget {
  const fromFlag = flags.admin !== undefined && flags.admin !== '';
  const path = resolveConfigPath(flags.config, env);
  const explicit = flags.config !== undefined || (env.SIMBRIDGE_CONFIG ?? '') !== '';
  let admin: AdminSection | null = null;
  let unreadable = false;
  if (explicit || existsSync(path)) {
    try {
      admin = readAdminSection(path);
    } catch (err) {
      // With --admin the file is read only for the token: a file this user may not read
      // (/etc/simbridge, the service's) does not stop a view that needs no token.
      if (!fromFlag) {
        throw new GatewayError('CLI_CONFIG_UNREADABLE', `cannot read admin.listen from ${path}`, {
          cause: err,
          context: { path },
        });
      }
      unreadable = true;
    }
  }
  const baseUrl = fromFlag ? urlOfFlag(String(flags.admin)) : urlOfListen(admin?.listen);
  if (unreadable) return { baseUrl, token: null, tokenHint: `cannot read admin.token from ${path}` };
  return { baseUrl, ...tokenOf(admin?.token, env, path) };
}

/** `resolveAdminTarget`'s URL alone. */
export function resolveAdminUrl(flags: AdminTargetFlags, env: NodeJS.ProcessEnv): string {
  return resolveAdminTarget(flags, env).baseUrl;
}

function readAdminSection(path: string): AdminSection | null {
  const tree = parse(readFileSync(path, 'utf8')) as { admin?: unknown } | null;
  const admin = tree?.admin;
  return typeof admin === 'object' && admin !== null ? (admin as AdminSection) : null;
}

function urlOfFlag(flag: string): string {
  return /^https?:\/\//.test(flag) ? flag : `http://${flag}`;
}

function urlOfListen(listen: unknown): string {
  if (typeof listen !== 'string') return DEFAULT_ADMIN_URL;
  const { host, port } = parseListenAddress(listen);
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function tokenOf(raw: unknown, env: NodeJS.ProcessEnv, path: string): Omit<AdminTarget, 'baseUrl'> {
  if (typeof raw !== 'string') return { token: null, tokenHint: null };
  const { value, missing } = substituteEnv(raw, env);
  if (missing.length > 0) {
    const names = missing.map((m) => `$${m.name}`).join(', ');
    return {
      token: null,
      tokenHint: `admin.token of ${path} uses ${names}, which is not set here: export it as the service has it`,
    };
  }
  const token = typeof value === 'string' ? value.trim() : '';
  return token === '' ? { token: null, tokenHint: null } : { token, tokenHint: null };
}
