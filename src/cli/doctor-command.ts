/**
 * `simbridge doctor [--config FILE] [--json]`: checks what a farm needs before `simbridge run`
 * can work: Node, config, ports, permissions, ModemManager, store, push URL, clock, admin port.
 * Every check that is not fine says why it matters and what to do. Exit 1 when any fails;
 * warnings do not fail.
 */
import { type Config, loadConfig, resolveConfigPath } from '../config/index.js';
import { isGatewayError, messageWithoutCode } from '../errors.js';
import { parseCommandArgs } from './command-args.js';
import {
  checkClock,
  checkConfig,
  checkModemManager,
  checkNode,
  checkPermissions,
  checkPorts,
  checkStore,
  runChecks,
} from './doctor/checks-local.js';
import { checkAdminPort, checkPushUrl } from './doctor/checks-network.js';
import { checkPortChoice } from './doctor/checks-ports.js';
import { nodeSystem } from './doctor/system.js';
import type { CheckResult, DoctorCheck, DoctorSystem } from './doctor/types.js';
import { type CliIo, ExitCode } from './io.js';
import { loadConfigForTools } from './tool-config.js';

const USAGE = `Usage: simbridge doctor [--config FILE] [--json]

Checks this machine for what simbridge needs, and says how to fix what is missing:
  node          Node.js 20.18 or newer
  config        the configuration loads and validates
  ports         modems.ports matches present serial ports
  permissions   this user can read and write them (dialout group)
  port-choice   which tty of each USB modem is its AT port, and why
  modemmanager  ModemManager is not running (it grabs modem ports)
  store         the SQLite directory is writable
  push-url      onlinesim.pushUrl resolves and answers (no PUSH_SMS is sent)
  clock         the date is sane and NTP-synchronised
  admin-port    admin.listen is free, or simbridge already serves it

Options:
  -c, --config FILE   configuration (default: $SIMBRIDGE_CONFIG, ./config/simbridge.yaml,
                      /etc/simbridge/simbridge.yaml)
  --json              print {"ok": ..., "checks": [...]} instead of text
  -h, --help          show this help

Run it as the user the service runs as (sudo -u simbridge simbridge doctor).
Exit codes: 0 nothing failed (warnings allowed); 1 some check failed; 2 usage error.
`;

/** The checks, in the order an operator fixes things. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  checkNode,
  checkConfig,
  checkPorts,
  checkPermissions,
  checkPortChoice,
  checkModemManager,
  checkStore,
  checkPushUrl,
  checkClock,
  checkAdminPort,
];

export interface DoctorCommandDeps {
  system?: DoctorSystem;
}

export async function runDoctorCommand(
  argv: string[],
  io: CliIo,
  deps: DoctorCommandDeps = {},
): Promise<number> {
  const parsed = parseCommandArgs(
    io,
    { name: 'doctor', usage: USAGE },
    {
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
  );
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const system = deps.system ?? nodeSystem();
  const configPath = resolveConfigPath(values.config, io.env);
  let config: Config | null = null;
  let configError: string | null = null;
  let configMissingEnv: string | null = null;
  try {
    config = loadConfig(configPath, io.env);
  } catch (err) {
    configError = describe(err);
    if (isGatewayError(err) && err.code === 'CONFIG_ENV_MISSING') {
      // The service may get the variable from its unit's environment file: check the rest anyway.
      configMissingEnv = configError;
      configError = null;
      try {
        config = loadConfigForTools(configPath, io.env);
      } catch (again) {
        configError = describe(again);
      }
    }
  }
  const ctx = { system, configPath, config, configError, configMissingEnv };
  const results = await runChecks(DOCTOR_CHECKS, ctx);
  const ok = results.every((r) => r.status !== 'fail');
  io.stdout.write(
    values.json ? `${JSON.stringify({ ok, checks: results }, null, 2)}\n` : formatReport(results),
  );
  return ok ? ExitCode.ok : ExitCode.failure;
}

const MARK: Record<CheckResult['status'], string> = {
  pass: ' OK ',
  warn: 'WARN',
  fail: 'FAIL',
  skip: 'SKIP',
};

/** `[ OK ] id  summary`, then indented `why:` and `fix:` lines, then a one-line verdict. */
export function formatReport(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.id.length));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`[${MARK[r.status]}] ${r.id.padEnd(width)}  ${r.summary}`);
    const indent = ' '.repeat(width + 9);
    if (r.why)
      for (const [i, line] of r.why.split('\n').entries())
        lines.push(`${indent}${i === 0 ? 'why: ' : '     '}${line}`);
    if (r.fix) lines.push(`${indent}fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push('');
  lines.push(
    failed > 0
      ? `${failed} check(s) failed, ${warned} warning(s): fix the FAIL lines, then run simbridge doctor again.`
      : `all checks passed${warned > 0 ? ` (${warned} warning(s))` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

function describe(err: unknown): string {
  return isGatewayError(err) ? messageWithoutCode(err) : String(err);
}
