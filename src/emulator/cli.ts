import { parseArgs } from 'node:util';
import { type CliIo, ExitCode } from '../cli/io.js';
import { isGatewayError, toError } from '../errors.js';
import { EmulatedFarm } from './farm.js';
import { MODEM_PROFILE_NAMES } from './profiles.js';
import type { ModemProfileName } from './types.js';

const USAGE = `Usage: simbridge emulator [options]

Starts emulated GSM modems on pseudo-terminals and prints their paths and SIM identities as
JSON. Runs until SIGINT/SIGTERM.

Options:
  --count <n>          number of modems (default 1)
  --profile <name>     ${MODEM_PROFILE_NAMES.join(', ')} or mixed (default generic)
  --dir <path>         directory for the pty links (default: a new temp directory)
  --seed <n>           identity seed (default 1)
  --baud <n>           emulated line speed, 0 = unlimited (default 115200)
  --sim-capacity <n>   SIM storage size (default 30)
  --every-ms <n>       inject one SMS every n ms, modems in turn (default: none)
  --boot               send the boot URCs at start, like a freshly plugged modem
  --usb                show each modem as a USB device with all its ttys (<dir>/modem-00-if00,
                       -if01, ...: silent, NMEA, secondary AT and the AT port) described in a
                       fake sysfs tree (<dir>/sysfs; pass it to simbridge modems --sysfs)
  -h, --help           show this help
`;

/** Extra hooks for tests: stop without a signal. */
export interface EmulatorCommandControl {
  signal?: AbortSignal;
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
}

/** `simbridge emulator`: modems on ptys until interrupted (CONTRACT.md §1 exit codes). */
export async function runEmulatorCommand(
  argv: string[],
  io: CliIo,
  control: EmulatorCommandControl = {},
): Promise<number> {
  let options: {
    count: number;
    profile: ModemProfileName | 'mixed';
    dir: string | undefined;
    seed: number;
    baud: number;
    simCapacity: number;
    everyMs: number;
    boot: boolean;
    usb: boolean;
  };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        count: { type: 'string' },
        profile: { type: 'string' },
        dir: { type: 'string' },
        seed: { type: 'string' },
        baud: { type: 'string' },
        'sim-capacity': { type: 'string' },
        'every-ms': { type: 'string' },
        boot: { type: 'boolean' },
        usb: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(USAGE);
      return ExitCode.ok;
    }
    const profile = values.profile ?? 'generic';
    if (profile !== 'mixed' && !(MODEM_PROFILE_NAMES as string[]).includes(profile)) {
      throw new Error(`unknown --profile "${profile}"`);
    }
    options = {
      count: Math.max(1, positiveInt(values.count, 1, 'count')),
      profile: profile as ModemProfileName | 'mixed',
      dir: values.dir,
      seed: positiveInt(values.seed, 1, 'seed'),
      baud: positiveInt(values.baud, 115_200, 'baud'),
      simCapacity: positiveInt(values['sim-capacity'], 30, 'sim-capacity'),
      everyMs: positiveInt(values['every-ms'], 0, 'every-ms'),
      boot: values.boot ?? false,
      usb: values.usb ?? false,
    };
  } catch (error) {
    io.stderr.write(`${toError(error).message}\n\n${USAGE}`);
    return ExitCode.usage;
  }

  const farm = new EmulatedFarm({
    count: options.count,
    profiles: options.profile,
    seed: options.seed,
    ...(options.dir ? { directory: options.dir } : {}),
    ...(options.usb ? { usbPorts: true } : {}),
    modemOptions: { baudRate: options.baud, simCapacity: options.simCapacity, bootOnStart: options.boot },
  });
  try {
    await farm.start();
  } catch (error) {
    const message = isGatewayError(error) ? error.message : toError(error).message;
    io.stderr.write(`emulator: ${message}\n`);
    return ExitCode.failure;
  }
  const modems = farm
    .describe()
    .map((info) => (options.usb ? { ...info, ttys: farm.ttyPaths(info.slot) } : info));
  const usb = options.usb ? { sysfs: farm.sysfsRoot } : {};
  io.stdout.write(`${JSON.stringify({ directory: farm.directory, ...usb, modems }, null, 2)}\n`);

  let injected = 0;
  const timer =
    options.everyMs > 0
      ? setInterval(() => {
          const slot = injected % farm.size;
          injected += 1;
          const modem = farm.modem(slot);
          modem
            .injectSms({
              sender: '+79990000001',
              text: `Your code is ${String(100000 + (injected % 900000))}`,
            })
            .then(() =>
              io.stderr.write(`${JSON.stringify({ injected, slot, path: farm.port(slot).path })}\n`),
            )
            .catch((error: unknown) =>
              io.stderr.write(`emulator: inject failed: ${toError(error).message}\n`),
            );
        }, options.everyMs)
      : null;

  let stop: () => void = () => undefined;
  await new Promise<void>((resolve) => {
    stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    control.signal?.addEventListener('abort', stop, { once: true });
    if (control.signal?.aborted) stop();
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (timer !== null) clearInterval(timer);
  await farm.stop();
  return ExitCode.ok;
}
