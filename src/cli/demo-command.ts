import { parseArgs } from 'node:util';
import { listenAddressProblem } from '../config/index.js';
import { DEMO_DEFAULTS } from '../demo/demo-config.js';
import { type DemoSession, type DemoStats, startDemoSession } from '../demo/demo-session.js';
import { isGatewayError, toError } from '../errors.js';
import { type CliIo, ExitCode } from './io.js';

const USAGE = `Usage: simbridge demo [--modems N] [--admin-listen HOST:PORT] [--every-ms N]

Runs the whole flow on emulated modems: N modems on pseudo-terminals (mixed vendor profiles),
the bridge with a temporary store, and a local mock Onlinesim that answers 200 with an
occasional 500. SMS are injected on random modems and every step is printed. Stop with Ctrl-C.

Options:
  --modems N               emulated modems (default ${DEMO_DEFAULTS.modems})
  --admin-listen HOST:PORT admin API and status page (default ${DEMO_DEFAULTS.adminListen}; port 0 = any free port)
  --every-ms N             inject one SMS every N ms (default ${DEMO_DEFAULTS.everyMs})
  -h, --help               show this help

Needs socat (sudo apt-get install socat) or python3 for the pseudo-terminals.
`;

/** Hooks for tests and embedding: stop without a signal, see the session once it runs. */
export interface DemoCommandControl {
  signal?: AbortSignal;
  onStarted?: (demo: { adminUrl: string; mockUrl: string; stats: () => DemoStats }) => void;
}

interface DemoArgs {
  modems: number;
  adminListen: string;
  everyMs: number;
}

function parseDemoArgs(argv: string[]): DemoArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      modems: { type: 'string' },
      'admin-listen': { type: 'string' },
      'every-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const adminListen = values['admin-listen'] ?? DEMO_DEFAULTS.adminListen;
  const problem = listenAddressProblem(adminListen);
  if (problem !== null) throw new Error(`--admin-listen: ${problem}`);
  return {
    modems: positiveInt(values.modems, DEMO_DEFAULTS.modems, 'modems', 64),
    adminListen,
    everyMs: positiveInt(values['every-ms'], DEMO_DEFAULTS.everyMs, 'every-ms', 3_600_000),
  };
}

function positiveInt(value: string | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > max) {
    throw new Error(`--${name} must be an integer from 1 to ${max}, got "${value}"`);
  }
  return parsed;
}

/** `simbridge demo` (CONTRACT.md §1): runs until SIGINT/SIGTERM (or `control.signal`), exit 0. */
export async function runDemoCommand(
  argv: string[],
  io: CliIo,
  control: DemoCommandControl = {},
): Promise<number> {
  let args: DemoArgs | 'help';
  try {
    args = parseDemoArgs(argv);
  } catch (err) {
    io.stderr.write(`simbridge demo: ${toError(err).message}\n\n${USAGE}`);
    return ExitCode.usage;
  }
  if (args === 'help') {
    io.stdout.write(USAGE);
    return ExitCode.ok;
  }

  // A reader that goes away (`simbridge demo | head`) ends the demo as Ctrl-C would; the
  // narrator stops writing, and this listener keeps the EPIPE from being an uncaught error. It
  // stays attached: the error of the last write can be emitted after this function returns.
  io.stdout.on('error', () => undefined);
  let session: DemoSession;
  try {
    session = await startDemoSession({ ...args, out: io.stdout });
  } catch (err) {
    io.stderr.write(`simbridge demo: could not start: ${explain(err, args.adminListen)}\n`);
    return ExitCode.failure;
  }
  control.onStarted?.({ adminUrl: session.adminUrl, mockUrl: session.mockUrl, stats: session.stats });
  await untilStopped(io, control);
  await session.stop();
  return ExitCode.ok;
}

/** Resolves on SIGINT, SIGTERM, `control.signal`, or stdout failing. */
function untilStopped(io: CliIo, control: DemoCommandControl): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      io.stdout.off('error', done);
      control.signal?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    io.stdout.once('error', done);
    control.signal?.addEventListener('abort', done, { once: true });
    if (control.signal?.aborted || io.stdout.errored) done();
  });
}

/** A start failure in words an operator can act on. */
function explain(err: unknown, adminListen: string): string {
  const error = toError(err);
  if (isGatewayError(err) && (err.code === 'EMU_SOCAT_MISSING' || err.code === 'EMU_PTY_FAILED')) {
    return `${error.message}\nThe emulated modems need pseudo-terminals: install socat (sudo apt-get install socat).`;
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return `${adminListen} is in use; pick another with --admin-listen 127.0.0.1:0 (any free port).`;
  }
  return error.message;
}
