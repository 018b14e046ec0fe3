#!/usr/bin/env node
/** Entry point of the `simbridge` binary. */
import { main } from './cli/dispatch.js';
import { ExitCode, processIo } from './cli/io.js';

const io = processIo();
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
    // A command has finished: if a stray handle would keep the process alive, exit anyway.
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (err: unknown) => {
    io.stderr.write(`simbridge: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = ExitCode.failure;
  },
);
