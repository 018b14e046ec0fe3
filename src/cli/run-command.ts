import { type Config, ConfigError, loadConfig, resolveConfigPath } from '../config/index.js';
import { isGatewayError } from '../errors.js';
import { createLogger } from '../log.js';
import { type RunningBridge, startBridge } from '../main.js';
import { parseCommandArgs } from './command-args.js';
import { type CliIo, ExitCode } from './io.js';
import { logStartAdvice } from './start-advice.js';
import { describeStartFailure } from './start-failure.js';

const USAGE = `Usage: simbridge run [--config FILE]

Runs the bridge: modems -> store -> Onlinesim, the admin API (status page, /metrics, /api/*)
and, when configured, the endpoints Onlinesim calls.

Config: --config FILE, else $SIMBRIDGE_CONFIG, else ./config/simbridge.yaml, else
/etc/simbridge/simbridge.yaml. SIGTERM/SIGINT stop it gracefully (exit 0).

Exit codes: 0 clean stop, 1 fatal runtime error, 2 invalid config.
`;

/** The hard limit for a graceful stop (CONTRACT.md §1: exit 0 within 10 s). */
const STOP_DEADLINE_MS = 9_000;

/** `simbridge run`: the daemon. Resolves with the exit code once stopped by a signal. */
export async function runRunCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(
    io,
    { name: 'run', usage: USAGE },
    {
      args: argv,
      options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    },
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;

  let config: Config;
  const configPath = resolveConfigPath(values.config, io.env);
  try {
    config = loadConfig(configPath, io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`simbridge: invalid configuration (${configPath}):\n${err.message}\n`);
      return ExitCode.usage;
    }
    throw err;
  }

  const pretty = Boolean((io.stdout as { isTTY?: boolean }).isTTY) && io.env.SIMBRIDGE_LOG_FORMAT !== 'json';
  const log = createLogger({
    level: config.log.level ?? io.env.SIMBRIDGE_LOG_LEVEL ?? 'info',
    pretty,
    nonBlocking: true,
  });
  log.info({ config: configPath }, 'starting simbridge');

  let bridge: RunningBridge;
  try {
    bridge = await startBridge(config, { log });
  } catch (err) {
    const failure = describeStartFailure(err, config);
    if (failure) {
      log.fatal(
        { code: failure.code, configKey: failure.key, listen: failure.listen },
        `could not start: ${failure.message}`,
      );
    } else log.fatal({ err }, isGatewayError(err) ? 'could not start' : 'could not start: unexpected error');
    return ExitCode.failure;
  }

  logStartAdvice(log, config, bridge.modems.snapshots().length);

  return new Promise<number>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) return;
      signalled = true;
      log.info({ signal }, 'signal received');
      const deadline = setTimeout(() => {
        log.error('graceful stop took too long; exiting');
        resolve(ExitCode.ok);
      }, STOP_DEADLINE_MS);
      deadline.unref();
      bridge.stop().then(
        () => {
          clearTimeout(deadline);
          resolve(ExitCode.ok);
        },
        (err: unknown) => {
          clearTimeout(deadline);
          log.error({ err }, 'error while stopping');
          resolve(ExitCode.failure);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
