import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from './config-error.js';
import { formatConfigIssues } from './format-issues.js';
import { normalizeIccid } from './iccid.js';
import { PLACEHOLDER_API_KEY } from './placeholders.js';
import { findRentProblems } from './rent-schema.js';
import { type Config, configSchema } from './schema.js';
import { type Env, formatKeyPath, substituteEnv } from './substitute-env.js';

/**
 * Loading order: read file -> parse YAML -> `${ENV}` substitution on string values -> schema
 * (zod, strict objects, defaults) -> cross-entry checks (duplicate SIMs). Each step's failure is
 * a `ConfigError` with its own code; the schema step reports every problem found, not the first.
 */

/** Reads, substitutes and validates the configuration file at `path`. Throws `ConfigError`. */
export function loadConfig(path: string, env: Env): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new ConfigError('CONFIG_NOT_FOUND', path, `config file not found: ${path}`, [], err);
    throw new ConfigError(
      'CONFIG_UNREADABLE',
      path,
      `cannot read config file ${path} (${code ?? 'error'})`,
      [],
      err,
    );
  }
  return parseConfigText(text, env, path);
}

/** Same as `loadConfig` for YAML already in memory; `source` names it in messages. */
export function parseConfigText(text: string, env: Env, source = '<config>'): Config {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    // Only the first line of each message: the rest is a source excerpt, which may hold the key.
    const issues = document.errors.map((e) => e.message.split('\n')[0]?.replace(/:$/, '') ?? e.code);
    throw new ConfigError('CONFIG_YAML', source, `config file ${source} is not valid YAML`, issues);
  }
  const tree: unknown = document.toJS() ?? {};
  if (typeof tree !== 'object' || Array.isArray(tree)) {
    throw new ConfigError('CONFIG_INVALID', source, `invalid configuration in ${source}`, [
      `the config file must be a YAML mapping (key: value lines, e.g. "onlinesim:"), got ${describeRoot(tree)}`,
    ]);
  }
  const { value, missing } = substituteEnv(tree, env);
  if (missing.length > 0) {
    const issues = missing.map((m) => `${m.path}: environment variable ${m.name} is not set`);
    throw new ConfigError(
      'CONFIG_ENV_MISSING',
      source,
      `config file ${source} refers to unset variables`,
      issues,
    );
  }
  const parsed = configSchema.safeParse(value);
  const issues = parsed.success
    ? [
        ...findDuplicateSims(parsed.data, simListPath(value)),
        ...findPublicKeyExposure(parsed.data),
        ...findRentProblems(parsed.data),
      ]
    : formatConfigIssues(parsed.error.issues);
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError('CONFIG_INVALID', source, `invalid configuration in ${source}`, issues);
  }
  return parsed.data;
}

/** Where the SIM list sits in the file: `sims`, or `sims.list` in the mapping form. */
function simListPath(tree: unknown): string[] {
  const sims = typeof tree === 'object' && tree !== null ? Reflect.get(tree, 'sims') : undefined;
  return typeof sims === 'object' && sims !== null && !Array.isArray(sims) ? ['sims', 'list'] : ['sims'];
}

/** A SIM must map to exactly one phone and a phone to exactly one SIM. */
function findDuplicateSims(config: Config, listPath: readonly string[]): string[] {
  const issues: string[] = [];
  const keys = ['iccid', 'imsi', 'phone'] as const;
  for (const key of keys) {
    const firstIndex = new Map<string, number>();
    config.sims.forEach((sim, index) => {
      const raw = sim[key];
      if (raw === undefined) return;
      const normalized = key === 'iccid' ? normalizeIccid(raw) : raw;
      const first = firstIndex.get(normalized);
      if (first === undefined) firstIndex.set(normalized, index);
      else {
        const where = formatKeyPath([...listPath, index, key]);
        issues.push(`${where}: duplicate of ${formatKeyPath([...listPath, first])}.${key} (${raw})`);
      }
    });
  }
  return issues;
}

/**
 * The partner endpoint authenticates Onlinesim's calls with `onlinesim.apiKey`: with the public
 * placeholder key, anyone could take numbers and read their SMS.
 */
function findPublicKeyExposure(config: Config): string[] {
  if (!config.reseller || config.onlinesim.apiKey !== PLACEHOLDER_API_KEY) return [];
  return [
    'onlinesim.apiKey: is the placeholder of config/simbridge.yaml; the partner endpoint (reseller) ' +
      'would accept it from anyone: set ONLINESIM_API_KEY',
  ];
}

function describeRoot(tree: unknown): string {
  if (Array.isArray(tree)) return 'a list';
  return typeof tree === 'number' ? 'a number' : `a ${typeof tree}`;
}

export interface ResolveConfigPathOptions {
  cwd?: string;
  exists?: (path: string) => boolean;
}

/**
 * Where the configuration lives (CONTRACT.md §1): `--config`, else `$SIMBRIDGE_CONFIG`, else
 * `./config/simbridge.yaml` if it exists, else `/etc/simbridge/simbridge.yaml`.
 */
export function resolveConfigPath(
  argvConfig: string | undefined,
  env: Env,
  options: ResolveConfigPathOptions = {},
): string {
  const cwd = options.cwd ?? process.cwd();
  const exists = options.exists ?? existsSync;
  if (argvConfig !== undefined && argvConfig !== '') return resolve(cwd, argvConfig);
  const fromEnv = env.SIMBRIDGE_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  const local = resolve(cwd, 'config/simbridge.yaml');
  if (exists(local)) return local;
  return '/etc/simbridge/simbridge.yaml';
}
