import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type CliIo, ExitCode } from './io.js';

/** A command as its errors and help name it: `simbridge <name>`, and its usage text. */
export interface CommandHelp {
  name: string;
  usage: string;
}

/** Writes `simbridge <name>: <message>` and the usage to stderr; returns exit code 2. */
export function usageError(io: CliIo, command: CommandHelp, message: string): number {
  io.stderr.write(`simbridge ${command.name}: ${message}\n\n${command.usage}`);
  return ExitCode.usage;
}

/**
 * Parses a command's arguments with `node:util` `parseArgs` (strict: an unknown option is an
 * error). Returns the exit code when the command is already done: 2 after a bad option, 0 after
 * printing the usage for `-h`/`--help` (the options must then include `help`). Otherwise returns
 * what `parseArgs` parsed.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(
  io: CliIo,
  command: CommandHelp,
  config: T,
): ReturnType<typeof parseArgs<T>> | number {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    return usageError(io, command, (err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(command.usage);
    return ExitCode.ok;
  }
  return parsed;
}
