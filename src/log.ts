import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { dedupeChildBindings, shadowRepeatedKeys } from './log-bindings.js';
import { nonBlockingOutput } from './log-output.js';
import { type RedactionRule, redactObject } from './log-redact.js';

export type { Logger } from 'pino';

/**
 * Keys whose values never reach a log line. The Onlinesim API key travels in config, in PUSH_SMS
 * bodies and in reseller requests (`key`, `apiKey`), the admin token (`admin.token`) in config and
 * in `Authorization` headers; every place they can sit in a logged object (up to three levels
 * deep: `config.onlinesim.apiKey`, `req.headers.authorization`) is covered.
 */
export const SECRET_KEYS: readonly string[] = ['apiKey', 'key', 'token', 'authorization'];

/**
 * Phone numbers and SMS bodies are personal data: at `info` and above they are redacted (on the
 * logged object and one level below); at `debug`/`trace` the operator asked to see traffic.
 */
const PERSONAL_KEYS: readonly string[] = ['text', 'phoneFrom', 'sender'];

const SECRET_RULE: RedactionRule = { keys: new Set(SECRET_KEYS), maxDepth: 3 };
const PERSONAL_RULE: RedactionRule = { keys: new Set(PERSONAL_KEYS), maxDepth: 2 };

export interface CreateLoggerOptions {
  level?: string;
  /** Pretty, coloured lines for a human at a terminal; JSON otherwise (journald, files). */
  pretty?: boolean;
  destination?: DestinationStream;
  name?: string;
  /**
   * JSON lines to stdout with a bounded hold while stdout takes nothing (log-output.ts): for the
   * long-running bridge. Off: pino's default destination, which holds every line.
   */
  nonBlocking?: boolean;
}

/** Creates the root logger. Layers take children: `log.child({ layer: 'at', modem: port })`. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? process.env.SIMBRIDGE_LOG_LEVEL ?? 'info';
  const showPersonal = level === 'debug' || level === 'trace';
  const rules = showPersonal ? [SECRET_RULE] : [SECRET_RULE, PERSONAL_RULE];
  const pinoOptions: LoggerOptions = {
    name: options.name ?? 'simbridge',
    level,
    // Redaction by key (log-redact.ts), not pino's `redact` paths: same coverage, no clone per line.
    formatters: {
      log: (object) => redactObject(object, rules),
      bindings: (bindings) => redactObject(bindings, rules),
    },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.errWithCause },
    // Every line one JSON object with each key once (see log-bindings.ts).
    onChild: (child) => dedupeChildBindings(child, (bindings) => redactObject(bindings, rules)),
    hooks: { logMethod: shadowRepeatedKeys },
  };
  if (options.destination) return pino(pinoOptions, options.destination);
  if (options.pretty ?? false) {
    return pino({ ...pinoOptions, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  if (options.nonBlocking ?? false) {
    const output = nonBlockingOutput();
    const log = pino(pinoOptions, output.stream);
    output.reportDropsTo(log);
    return log;
  }
  return pino(pinoOptions);
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
