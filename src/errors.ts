/**
 * One error type for the whole product, with a stable string code.
 *
 * Codes are prefixed by the layer that raises them (`AT_`, `MODEM_`, `SMS_`, `STORE_`, `PUSH_`,
 * `CONFIG_`, `HTTP_`, `EMU_`, `CLI_`, `BRIDGE_`), so logs and callers can branch on `err.code`
 * without `instanceof` across package boundaries. Every code is listed in README's error table.
 */
export const ERROR_LAYERS = [
  'AT',
  'MODEM',
  'SMS',
  'STORE',
  'PUSH',
  'CONFIG',
  'HTTP',
  'EMU',
  'CLI',
  'BRIDGE',
] as const;
export type ErrorLayer = (typeof ERROR_LAYERS)[number];
export type ErrorCode = `${ErrorLayer}_${string}`;

/**
 * A product code: one of our layer prefixes, then upper-case words. Only our prefixes: driver
 * and library codes have the same shape (`SQLITE_BUSY`, `UND_ERR_SOCKET`, `ERR_STREAM_DESTROYED`)
 * and must still be wrapped, not passed on as if they were ours.
 */
const ERROR_CODE_SHAPE = new RegExp(`^(?:${ERROR_LAYERS.join('|')})_[A-Z0-9_]+$`);

export interface GatewayErrorOptions {
  cause?: unknown;
  /** Extra structured fields for logs; never secrets. */
  context?: Record<string, unknown>;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    // The code is part of the message so that grep and log search find it.
    super(`${message} [${code}]`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
  }
}

/**
 * True for any error raised by this product: a `GatewayError`, or (from another copy of this
 * module) an `Error` whose `code` has one of our layer prefixes.
 */
export function isGatewayError(err: unknown): err is GatewayError {
  if (err instanceof GatewayError) return true;
  if (!(err instanceof Error)) return false;
  const code: unknown = Reflect.get(err, 'code');
  return typeof code === 'string' && ERROR_CODE_SHAPE.test(code);
}

/** The message without the ` [CODE]` suffix `GatewayError` adds, for output that shows the code apart. */
export function messageWithoutCode(err: Error): string {
  return err.message.replace(/ \[[A-Z]+_[A-Z0-9_]+\]$/, '');
}

/** Turns anything thrown into an `Error`, so callers can log it and keep it as a `cause`. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}
