import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { dedupeChildBindings, shadowRepeatedKeys } from './log-bindings.js';

export type { Logger } from 'pino';

/**
 * Paths that never reach a log line. The Onlinesim API key travels in config, in PUSH_SMS
 * bodies and in reseller requests, the admin token (`admin.token`) in config and in
 * `Authorization` headers; every place they can sit in a logged object is listed here.
 */
export const REDACTED_PATHS: readonly string[] = [
  'apiKey',
  'key',
  '*.apiKey',
  '*.key',
  '*.*.apiKey',
  '*.*.key',
  'onlinesim.apiKey',
  'config.onlinesim.apiKey',
  'body.key',
  'req.body.key',
  'request.body.key',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'authorization',
  'token',
  '*.token',
  '*.*.token',
  'admin.token',
  'config.admin.token',
];

/**
 * Phone numbers and SMS bodies are personal data: at `info` and above they are redacted; at
 * `debug`/`trace` the operator asked to see traffic and gets it.
 */
const PERSONAL_PATHS: readonly string[] = [
  'text',
  '*.text',
  'phoneFrom',
  '*.phoneFrom',
  'sender',
  '*.sender',
];

export interface CreateLoggerOptions {
  level?: string;
  /** Pretty, coloured lines for a human at a terminal; JSON otherwise (journald, files). */
  pretty?: boolean;
  destination?: DestinationStream;
  name?: string;
}

/** Creates the root logger. Layers take children: `log.child({ layer: 'at', modem: port })`. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? process.env.SIMBRIDGE_LOG_LEVEL ?? 'info';
  const showPersonal = level === 'debug' || level === 'trace';
  const pinoOptions: LoggerOptions = {
    name: options.name ?? 'simbridge',
    level,
    redact: { paths: [...REDACTED_PATHS, ...(showPersonal ? [] : PERSONAL_PATHS)], censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: pino.stdSerializers.errWithCause },
    // Every line one JSON object with each key once (see log-bindings.ts).
    onChild: dedupeChildBindings,
    hooks: { logMethod: shadowRepeatedKeys },
  };
  if (options.destination) return pino(pinoOptions, options.destination);
  if (options.pretty ?? false) {
    return pino({ ...pinoOptions, transport: { target: 'pino-pretty', options: { colorize: true } } });
  }
  return pino(pinoOptions);
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
