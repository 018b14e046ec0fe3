import { type CliIo, ExitCode } from '../cli/io.js';
import { isGatewayError, toError } from '../errors.js';
import { EMULATOR_USAGE, type EmulatorCliOptions, parseEmulatorArgs, subscriberOptions } from './cli-args.js';
import { EmulatedFarm } from './farm.js';

/** Extra hooks for tests: stop without a signal. */
export interface EmulatorCommandControl {
  signal?: AbortSignal;
}

/** `simbridge emulator`: modems on ptys until interrupted (CONTRACT.md §1 exit codes). */
export async function runEmulatorCommand(
  argv: string[],
  io: CliIo,
  control: EmulatorCommandControl = {},
): Promise<number> {
  let options: EmulatorCliOptions;
  try {
    const parsed = parseEmulatorArgs(argv);
    if (parsed.help) {
      io.stdout.write(EMULATOR_USAGE);
      return ExitCode.ok;
    }
    options = parsed.options;
  } catch (error) {
    io.stderr.write(`${toError(error).message}\n\n${EMULATOR_USAGE}`);
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
  // Per modem: a number answer's {number} is that modem's own number.
  for (let slot = 0; slot < farm.size; slot++) {
    const modem = farm.modem(slot);
    modem.subscriber.configure(subscriberOptions(options.subscriber, modem.identity.phoneNumber));
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
