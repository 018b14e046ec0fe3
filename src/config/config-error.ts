import { GatewayError } from '../errors.js';

/**
 * Codes raised while loading the configuration. The CLI exits 2 on any of them.
 * - `CONFIG_NOT_FOUND`: the file does not exist.
 * - `CONFIG_UNREADABLE`: the file exists but cannot be read (permissions, a directory).
 * - `CONFIG_YAML`: the file is not valid YAML (line and column given, no source excerpt).
 * - `CONFIG_ENV_MISSING`: a `${NAME}` refers to an unset environment variable.
 * - `CONFIG_INVALID`: the document does not match the schema (every problem listed).
 */
export type ConfigErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_UNREADABLE'
  | 'CONFIG_YAML'
  | 'CONFIG_ENV_MISSING'
  | 'CONFIG_INVALID';

/**
 * A configuration that cannot be used. `issues` holds one line per problem, each naming the key
 * path (`sims[2].phone: expected digits only, got "+7908..."`); the message lists them all.
 * Never carries the API key's value.
 */
export class ConfigError extends GatewayError {
  override readonly code: ConfigErrorCode;
  readonly issues: readonly string[];
  readonly path: string;

  constructor(
    code: ConfigErrorCode,
    path: string,
    headline: string,
    issues: readonly string[],
    cause?: unknown,
  ) {
    const body =
      issues.length > 0 ? `${headline}:\n${issues.map((issue) => `  ${issue}`).join('\n')}` : headline;
    super(code, body, { cause, context: { path, issues } });
    this.code = code;
    this.issues = issues;
    this.path = path;
  }
}
