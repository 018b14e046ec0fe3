/**
 * `simbridge modems [--config FILE] [--json] [--timeout-ms N]` (CONTRACT.md §1): picks the AT
 * port of each USB modem among the configured ports (as the service does), probes each chosen
 * port once and prints the modem and SIM identity, with the phone from the SIM map, and which
 * tty was chosen and why. Ports are opened exclusively, so the service must be stopped first; a
 * busy port says so.
 */
import { type Config, resolveConfigPath, simDirectory } from '../config/index.js';
import { isGatewayError } from '../errors.js';
import type { ModemView } from '../http/modem-view.js';
import { expandPortPatterns } from '../modem/port-glob.js';
import { DEFAULT_AT_PROBE_TIMINGS } from '../modem/probe/at-probe.js';
import type { DeviceChoice } from '../modem/probe/choose-port.js';
import type { SerialBinding } from '../transport/serial-channel.js';
import { parseCommandArgs, usageError } from './command-args.js';
import { type CliIo, ExitCode } from './io.js';
import { DEFAULT_PROBE_COMMAND_TIMEOUT_MS, type ProbeResult, probeModem } from './modems-probe.js';
import { choosePortsNow, formatPortChoices, isUsbChoice } from './port-choice.js';
import { formatTable } from './text-table.js';
import { loadConfigForTools } from './tool-config.js';

const USAGE = `Usage: simbridge modems [--config FILE] [--json] [--timeout-ms N]

Expands modems.ports, picks the AT port of each USB modem among its ttys (as the service does:
DIAG/GPS ports are never opened, the others get a short AT), identifies the modem and its SIM on
that port, and prints a table: port, model, IMEI, IMSI, ICCID, phone (from the config's sims),
operator, signal; then, per USB modem, each tty with why it was chosen or not.
Stop the service first (sudo systemctl stop simbridge): a port has one user at a time.

Options:
  -c, --config FILE    configuration (default: $SIMBRIDGE_CONFIG, ./config/simbridge.yaml,
                       /etc/simbridge/simbridge.yaml)
  --json               print a JSON array with the fields of GET /api/modems
  --timeout-ms N       deadline of each AT command (default ${DEFAULT_PROBE_COMMAND_TIMEOUT_MS})
  --probe-timeout-ms N how long each candidate tty has to answer AT (default: modems.probeTimeoutMs,
                       else ${DEFAULT_AT_PROBE_TIMINGS.answerTimeoutMs})
  --sysfs DIR          where sysfs is mounted (default /sys; the emulator's fake tree for tests)
  -h, --help           show this help

Exit codes: 0 every modem answered on its chosen port; 1 some did not (or none matched);
2 usage or config error.
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
      'probe-timeout-ms': { type: 'string' },
      sysfs: { type: 'string' },
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
  const probeText = values['probe-timeout-ms'];
  const probeOption = probeText === undefined ? undefined : Number(probeText);
  if (probeOption !== undefined && (!Number.isInteger(probeOption) || probeOption < 20)) {
    return usageError(io, COMMAND, '--probe-timeout-ms must be an integer of at least 20');
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
  const choices = await choosePortsNow(ports, {
    baudRate: config.modems.baudRate,
    timings: {
      answerTimeoutMs:
        probeOption ?? config.modems.probeTimeoutMs ?? DEFAULT_AT_PROBE_TIMINGS.answerTimeoutMs,
    },
    ...(values.sysfs ? { sysfsRoot: values.sysfs } : {}),
    ...(deps.binding ? { binding: deps.binding } : {}),
  });
  const results = await Promise.all(
    choices.map((choice) =>
      choice.chosen === null
        ? noPortAnswered(choice)
        : probeModem(choice.chosen, {
            baudRate: config.modems.baudRate,
            commandTimeoutMs,
            binding: deps.binding,
          }),
    ),
  );
  const sims = simDirectory(config);
  const views = results.map((result, i) => ({
    ...toView(result, sims.phoneFor),
    ...portChoiceField(choices[i]),
  }));
  if (values.json) io.stdout.write(`${JSON.stringify(views, null, 2)}\n`);
  else io.stdout.write(`${formatModems(results, views)}${formatPortChoices(choices)}`);

  const failed = results.filter((r) => r.error !== null);
  for (const result of failed) {
    const error = result.error;
    if (error === null) continue;
    io.stderr.write(`simbridge modems: ${error.message} [${error.code}]\n`);
    if (error.hint) io.stderr.write(`  fix: ${error.hint}\n`);
  }
  return failed.length === 0 ? ExitCode.ok : ExitCode.failure;
}

/** A USB modem where no tty answered AT: reported like a port that did not answer. */
function noPortAnswered(choice: DeviceChoice): ProbeResult {
  return {
    port: choice.verdicts[0]?.path ?? choice.label,
    answered: false,
    identity: null,
    radio: null,
    storage: null,
    error: {
      code: 'CLI_MODEM_NO_ANSWER',
      message: `no tty of ${choice.label} answered AT`,
      hint: 'the modem may still be booting (try again in a minute), be in storage or HiLink mode (see "Finding a new modem\'s AT port" in README), or its AT port is not in modems.ports',
    },
  };
}

/** The `portChoice` field of a JSON row: which tty of the USB device, and why. */
function portChoiceField(choice: DeviceChoice | undefined): { portChoice?: PortChoiceView } {
  if (!choice || !isUsbChoice(choice)) return {};
  const chosen = choice.verdicts.find((v) => v.kind === 'chosen');
  return {
    portChoice: {
      device: choice.label,
      reason: chosen?.reason ?? 'no tty answered AT',
      ports: choice.verdicts.map((v) => ({ port: v.path, verdict: v.kind, reason: v.reason })),
    },
  };
}

interface PortChoiceView {
  device: string;
  reason: string;
  ports: { port: string; verdict: string; reason: string }[];
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
    // A one-off probe sees no read history nor balance: only the registration rule applies.
    ...(result.radio && !result.radio.registered
      ? { health: 'unhealthy', healthReason: 'unregistered' }
      : { health: 'healthy', healthReason: null }),
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
