import pino, { type LogFn, type Logger } from 'pino';

/**
 * pino writes a child's bindings after its parent's and a call's object after both, as text:
 * `driver.child({ layer: 'at', port })` under a driver bound to `{ layer: 'modem', port }`, or
 * `log.info({ port })` on a logger bound to `port`, gives one JSON object with the key twice,
 * which strict JSON ingesters reject. These two hooks keep every key once per line:
 * - a child's bindings are rewritten without repeats, the innermost value winning;
 * - a call's key already bound (or one pino writes itself) is dropped when it repeats the same
 *   value, and kept under `shadowed` when it differs, so nothing is lost.
 */

const { chindingsSym } = pino.symbols;

/** Keys pino writes on every line besides the bindings. `msg` only clashes with a message. */
const ALWAYS_WRITTEN = ['level', 'time'] as const;

/** Each logger's bound keys with their JSON values, parsed once per logger. */
const boundByLogger = new WeakMap<Logger, ReadonlyMap<string, string>>();

function chindingsOf(logger: Logger): string {
  const value = (logger as unknown as Record<symbol, unknown>)[chindingsSym];
  return typeof value === 'string' ? value : '';
}

function parseChindings(chindings: string): Record<string, unknown> {
  // pino keeps bindings as `,"k":v,"k2":v2`; JSON.parse keeps the last value of a repeated key.
  return chindings.length > 1 ? (JSON.parse(`{${chindings.slice(1)}}`) as Record<string, unknown>) : {};
}

function boundValues(logger: Logger): ReadonlyMap<string, string> {
  let bound = boundByLogger.get(logger);
  if (!bound) {
    bound = new Map(
      Object.entries(parseChindings(chindingsOf(logger))).map(([k, v]) => [k, JSON.stringify(v)]),
    );
    boundByLogger.set(logger, bound);
  }
  return bound;
}

/**
 * pino `onChild`: rewrites the new child's bindings so that each key appears once, passing them
 * through `transform` (redaction: pino applies `formatters.bindings` to the root logger only).
 */
export function dedupeChildBindings(
  child: Logger,
  transform: (bindings: Record<string, unknown>) => Record<string, unknown> = (bindings) => bindings,
): void {
  const parsed = transform(parseChindings(chindingsOf(child)));
  const rebuilt = Object.entries(parsed)
    .map(([key, value]) => `,${JSON.stringify(key)}:${JSON.stringify(value)}`)
    .join('');
  (child as unknown as Record<symbol, unknown>)[chindingsSym] = rebuilt;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && !Array.isArray(value);
}

/** pino `hooks.logMethod`: takes the call's keys that would repeat a key of the line. */
export function shadowRepeatedKeys(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  const [first, ...rest] = args as unknown[];
  if (!isPlainObject(first)) {
    method.apply(this, args);
    return;
  }
  const bound = boundValues(this);
  const withMessage = typeof rest[0] === 'string';
  let object: Record<string, unknown> | null = null;
  let shadowed: Record<string, unknown> | null = null;
  for (const key of Object.keys(first)) {
    const clashes =
      bound.has(key) || (ALWAYS_WRITTEN as readonly string[]).includes(key) || (withMessage && key === 'msg');
    if (!clashes) continue;
    object ??= { ...first };
    const value = object[key];
    delete object[key];
    if (JSON.stringify(value) !== bound.get(key)) {
      shadowed ??= {};
      shadowed[key] = value;
    }
  }
  if (!object) {
    method.apply(this, args);
    return;
  }
  if (shadowed) object.shadowed = shadowed;
  method.apply(this, [object, ...rest] as Parameters<LogFn>);
}
