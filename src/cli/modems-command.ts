/**
 * `simbridge modems [--config FILE] [--json] [--timeout-ms N]` (CONTRACT.md §1): probes every
 * configured port once and prints the modem and SIM identity, with the phone from the SIM map.
 * Ports are opened exclusively, so the service must be stopped first; a busy port says so.
 */
import { type Config, resolveConfigPath, simDirectory } from '../config/index.js';
import { isGatewayError } from '../errors.js';
import type { ModemView } from '../http/modem-view.js';
import { expandPortPatterns } from '../modem/port-glob.js';
import type { SerialBinding } from '../transport/serial-channel.js';
import { parseCommandArgs, usageError } from './command-args.js';
import { type CliIo, ExitCode } from './io.js';
import { DEFAULT_PROBE_COMMAND_TIMEOUT_MS, type ProbeResult, probeModem } from './modems-probe.js';
import { formatTable } from './text-table.js';
import { loadConfigForTools } from './tool-config.js';

const USAGE = `Usage: simbridge modems [--config FILE] [--json] [--timeout-ms N]

Opens each port of modems.ports (globs expanded), identifies the modem and its SIM, and prints a
table: port, model, IMEI, IMSI, ICCID, phone (from the config's sims), operator, signal.
Stop the service first (sudo systemctl stop simbridge): a port has one user at a time.

Options:
  -c, --config FILE    configuration (default: $SIMBRIDGE_CONFIG, ./config/simbridge.yaml,
                       /etc/simbridge/simbridge.yaml)
  --json               print a JSON array with the fields of GET /api/modems
  --timeout-ms N       deadline of each AT command (default ${DEFAULT_PROBE_COMMAND_TIMEOUT_MS})
  -h, --help           show this help

Exit codes: 0 every port answered; 1 some port did not (or none matched); 2 usage or config error.
`;

const COMMAND = { name: 'modems', usage: USAGE };

/** Injected in tests. */
export interface ModemsCommandDeps {
  binding?: SerialBinding;
}

export async function runModemsCommand(
  argv: string[],
  io: CliIo,
  deps: ModemsCommandDeps = {},
): Promise<number> {
  const parsed = parseCommandArgs(io, COMMAND, {
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const timeoutText = values['timeout-ms'];
  const commandTimeoutMs = timeoutText === undefined ? DEFAULT_PROBE_COMMAND_TIMEOUT_MS : Number(timeoutText);
  if (!Number.isInteger(commandTimeoutMs) || commandTimeoutMs < 50) {
    return usageError(io, COMMAND, '--timeout-ms must be an integer of at least 50');
  }

  const path = resolveConfigPath(values.config, io.env);
  let config: Config;
  try {
    config = loadConfigForTools(path, io.env);
  } catch (err) {
    io.stderr.write(`simbridge modems: ${isGatewayError(err) ? err.message : String(err)}\n`);
    return ExitCode.usage;
  }

  const ports = await expandPortPatterns(config.modems.ports);
  if (ports.length === 0) {
    io.stderr.write(
      `simbridge modems: no port matches modems.ports (${config.modems.ports.join(', ')}); is a modem plugged in, and are the udev rules installed?\n`,
    );
    if (values.json) io.stdout.write('[]\n');
    return ExitCode.failure;
  }
  const results = await Promise.all(
    ports.map((port) =>
      probeModem(port, { baudRate: config.modems.baudRate, commandTimeoutMs, binding: deps.binding }),
    ),
  );
  const sims = simDirectory(config);
  const views = results.map((result) => toView(result, sims.phoneFor));
  if (values.json) io.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
  else io.stdout.write(formatModems(results, views));

  const failed = results.filter((r) => r.error !== null);
  for (const result of failed) {
    const error = result.error;
    if (error === null) continue;
    io.stderr.write(`simbridge modems: ${error.message} [${error.code}]\n`);
    if (error.hint) io.stderr.write(`  fix: ${error.hint}\n`);
  }
  return failed.length === 0 ? ExitCode.ok : ExitCode.failure;
}

function toView(
  result: ProbeResult,
  phoneFor: (sim: { iccid: string | null; imsi: string | null }) => string | null,
): ModemView {
  const identity = result.identity;
  const imsi = identity?.imsi ?? null;
  const iccid = identity?.iccid ?? null;
  return {
    port: result.port,
    state: result.error === null ? 'ready' : 'gone',
    imei: identity?.imei ?? null,
    imsi,
    iccid,
    phone: iccid === null && imsi === null ? null : phoneFor({ iccid, imsi }),
    operator: result.radio?.operator ?? null,
    signal: result.radio?.signal ?? null,
    registered: result.radio?.registered ?? false,
    lastSmsAt: null,
  };
}

function formatModems(results: readonly ProbeResult[], views: readonly ModemView[]): string {
  const rows = views.map((view, i) => {
    const result = results[i];
    const model = [result?.identity?.manufacturer, result?.identity?.model].filter(Boolean).join(' ');
    const storage = result?.storage ? `${result.storage.used}/${result.storage.total}` : null;
    return [
      view.port,
      result?.error ? `no answer (${result.error.code})` : 'ok',
      model || null,
      view.imei,
      view.imsi,
      view.iccid,
      view.phone ?? (view.iccid || view.imsi ? 'not in sims' : null),
      view.operator,
      view.signal === null ? null : `${view.signal}/31`,
      result?.radio ? (view.registered ? 'yes' : 'no') : null,
      storage,
    ];
  });
  return formatTable(
    ['PORT', 'STATUS', 'MODEL', 'IMEI', 'IMSI', 'ICCID', 'PHONE', 'OPERATOR', 'SIGNAL', 'REG', 'SMS'],
    rows,
  );
}
