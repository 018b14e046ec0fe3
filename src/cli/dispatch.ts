/**
 * `simbridge` command line: dispatches to one module per command (loaded on demand, so
 * `simbridge decode` does not open SQLite or serial ports). Exit codes: CONTRACT.md §1.
 */

import { VERSION } from '../version.js';
import { type CliIo, ExitCode } from './io.js';

type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;

interface CommandEntry {
  summary: string;
  load: () => Promise<CommandRunner>;
}

const COMMANDS: Record<string, CommandEntry> = {
  run: {
    summary: 'run the bridge: modems -> store -> Onlinesim, admin API, reseller endpoints',
    load: async () => (await import('./run-command.js')).runRunCommand,
  },
  decode: {
    summary: 'decode SMS-DELIVER PDUs (hex) to JSON Lines',
    load: async () => (await import('./decode-command.js')).runDecodeCommand,
  },
  modems: {
    summary: 'probe the configured ports and print modem and SIM identity',
    load: async () => (await import('./modems-command.js')).runModemsCommand,
  },
  messages: {
    summary: 'list recent messages and their push state (via the admin API)',
    load: async () => (await import('./messages-command.js')).runMessagesCommand,
  },
  ops: {
    summary: 'list, open and end operations (via the admin API)',
    load: async () => (await import('./ops-command.js')).runOpsCommand,
  },
  sims: {
    summary: 'list SIMs and their numbers, confirm discovered numbers, export them (via the admin API)',
    load: async () => (await import('./sims-command.js')).runSimsCommand,
  },
  doctor: {
    summary: 'check ports, permissions, ModemManager, store, push URL and clock',
    load: async () => (await import('./doctor-command.js')).runDoctorCommand,
  },
  demo: {
    summary: 'run the whole flow on emulated modems with a local mock Onlinesim',
    load: async () => (await import('./demo-command.js')).runDemoCommand,
  },
  emulator: {
    summary: 'start emulated modems on pseudo-terminals (for tests and trials)',
    load: async () => (await import('../emulator/cli.js')).runEmulatorCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    `simbridge ${VERSION}: USB GSM modems to Onlinesim`,
    '',
    'Usage: simbridge <command> [options]   (simbridge <command> --help for its options)',
    '',
    'Commands:',
    ...lines,
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  // Own keys only: `simbridge constructor` must not find Object.prototype's.
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr.write(`simbridge: unknown command "${name}"\n\n${usage()}`);
    return ExitCode.usage;
  }
  const run = await entry.load();
  return run(rest, io);
}
