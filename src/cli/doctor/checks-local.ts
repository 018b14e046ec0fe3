import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPostgresStore } from './checks-postgres.js';
import type { CheckResult, DoctorCheck, DoctorContext } from './types.js';

/**
 * Checks of this machine: Node, the config, the serial ports and who may open them,
 * ModemManager, the store's directory and the clock. Each returns a verdict with why it matters
 * and how to fix it, never throws.
 */

const MIN_NODE = [20, 18] as const;
/** The shipped udev rules, wherever this copy is installed (src/ or dist/ sit at the same depth). */
export const UDEV_RULES_PATH = fileURLToPath(new URL('../../../udev/70-simbridge.rules', import.meta.url));
/** SMS time stamps and push ages are compared with this clock; an unset Pi clock says 1970. */
const MIN_SANE_YEAR = 2024;

export const checkNode: DoctorCheck = async ({ system }) => {
  const [major = 0, minor = 0] = system.nodeVersion.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  if (ok) return [{ id: 'node', status: 'pass', summary: `Node.js ${system.nodeVersion}` }];
  return [
    {
      id: 'node',
      status: 'fail',
      summary: `Node.js ${system.nodeVersion} is too old (needs ${MIN_NODE.join('.')} or newer)`,
      why: 'simbridge uses APIs of Node 20.18 and later; older versions fail at start or behave differently.',
      fix: 'install Node.js 20, 22 or 24 LTS (NodeSource packages or nvm), then run npm ci again',
    },
  ];
};

export const checkConfig: DoctorCheck = async ({ configPath, config, configError, configMissingEnv }) => {
  if (config !== null && configMissingEnv) {
    return [
      {
        id: 'config',
        status: 'warn',
        summary: `${configPath} is valid, but refers to variables this shell does not have`,
        why: `${configMissingEnv}\nsimbridge run exits 2 unless its environment sets them (the other checks used placeholders).`,
        fix: 'set them in the service environment (/etc/simbridge/simbridge.env, read by the unit: ONLINESIM_API_KEY=...); export them here to silence this warning',
      },
    ];
  }
  if (config !== null) {
    return [
      {
        id: 'config',
        status: 'pass',
        summary: `${configPath} is valid (${config.modems.ports.length} port pattern(s), ${config.sims.length} SIM(s))`,
      },
    ];
  }
  return [
    {
      id: 'config',
      status: 'fail',
      summary: `the configuration ${configPath} cannot be used`,
      why: `${configError ?? 'unknown error'}\nsimbridge run refuses to start (exit 2) with this file; the checks needing it are skipped.`,
      fix: 'edit the keys named above (see config/simbridge.example.yaml), or point to another file with --config FILE or $SIMBRIDGE_CONFIG',
    },
  ];
};

export const checkPorts: DoctorCheck = async ({ system, config }) => {
  if (config === null) return [skipped('ports', 'no usable config')];
  const found = await system.expandPorts(config.modems.ports);
  if (found.length > 0) {
    return [{ id: 'ports', status: 'pass', summary: `${found.length} port(s) found: ${found.join(', ')}` }];
  }
  return [
    {
      id: 'ports',
      status: 'fail',
      summary: `no port matches modems.ports (${config.modems.ports.join(', ')})`,
      why: 'without a port simbridge has no modem to read SMS from. The patterns are matched against the files present now.',
      fix: `plug the modems in and check they enumerate (lsusb; ls -l /dev/ttyUSB* /dev/gsm /dev/gsm/probe); install the udev rules (sudo cp ${UDEV_RULES_PATH} /etc/udev/rules.d/ && sudo udevadm control --reload && sudo udevadm trigger --subsystem-match=tty); or fix modems.ports (Huawei and ZTE sticks appear under /dev/gsm/probe/*: add that pattern and simbridge picks their AT port)`,
    },
  ];
};

export const checkPermissions: DoctorCheck = async ({ system, config, configPath }) => {
  if (config === null) return [skipped('permissions', 'no usable config')];
  const identity = system.processIdentity();
  if (identity.uid === 0) {
    return [
      {
        id: 'permissions',
        status: 'warn',
        summary: 'running as root: every port opens, but the service should not run as root',
        why: 'the systemd unit runs simbridge as its own user; what works as root may fail there.',
        fix: `run doctor as the service user: sudo -u simbridge simbridge doctor --config ${configPath}`,
      },
    ];
  }
  const ports = await system.expandPorts(config.modems.ports);
  const groups = await system.groups();
  const user = system.userName();
  const results: CheckResult[] = [];
  for (const port of ports) {
    const denied = await system.accessReadWrite(port);
    if (denied === null) continue;
    const gid = await system.fileGroup(port);
    const group = groups.find((g) => g.gid === gid)?.name ?? (gid === null ? 'its group' : `gid ${gid}`);
    const listed = groups.find((g) => g.gid === gid)?.members.includes(user) ?? false;
    results.push({
      id: 'permissions',
      status: 'fail',
      summary: `${user} cannot read and write ${port} (${denied})`,
      why: `the port belongs to group ${group}; simbridge opens it read-write to send AT commands.`,
      fix: listed
        ? `${user} is in ${group} in /etc/group but this session is not: log out and in again (or restart the service)`
        : `sudo usermod -aG ${group} ${user}, then log in again; the udev rules also set the group of the modem ports`,
    });
  }
  if (results.length > 0) return results;
  const dialout = groups.find((g) => g.name === 'dialout');
  if (ports.length === 0 && dialout && !identity.gids.includes(dialout.gid)) {
    return [
      {
        id: 'permissions',
        status: 'warn',
        summary: `${user} is not in the dialout group (no port present to test)`,
        why: 'serial ports on Raspberry Pi OS belong to group dialout.',
        fix: `sudo usermod -aG dialout ${user}, then log in again`,
      },
    ];
  }
  return [{ id: 'permissions', status: 'pass', summary: `${user} can read and write every port found` }];
};

export const checkModemManager: DoctorCheck = async ({ system }) => {
  const systemctl = await system.exec('systemctl', ['is-active', 'ModemManager']);
  const viaSystemd = systemctl.code === 0 && systemctl.stdout.trim() === 'active';
  const running = viaSystemd || (await system.processNames()).includes('ModemManager');
  if (!running) return [{ id: 'modemmanager', status: 'pass', summary: 'ModemManager is not running' }];
  return [
    {
      id: 'modemmanager',
      status: 'warn',
      summary: 'ModemManager is running',
      why: 'it probes serial ports with its own AT commands and may hold a modem port open, so simbridge sees a busy port or answers meant for ModemManager. The udev rules mark the modem ports ID_MM_DEVICE_IGNORE, which keeps it away from them only once they are installed.',
      fix: 'sudo systemctl disable --now ModemManager (unless this Pi needs it for another modem; then install the udev rules and replug the modems)',
    },
  ];
};

export const checkStore: DoctorCheck = async ({ system, config, configPath }) => {
  if (config === null) return [skipped('store', 'no usable config')];
  if (config.storage.postgres !== undefined)
    return checkPostgresStore(system, config.storage.postgres, config.node.name);
  // Relative paths are relative to the working directory of `simbridge run` (the unit's WorkingDirectory).
  const dbPath = resolve(config.storage.sqlite);
  const dir = dirname(dbPath);
  const existing = await system.nearestExisting(dir);
  const failed = await system.tryWriteIn(existing);
  if (failed === null) {
    const note = existing === dir ? '' : ` (${dir} will be created under ${existing})`;
    const dbDenied = existing === dir ? await system.accessReadWrite(dbPath) : null;
    if (dbDenied === null || dbDenied === 'ENOENT') {
      return [{ id: 'store', status: 'pass', summary: `the store directory is writable: ${dir}${note}` }];
    }
    return [
      {
        id: 'store',
        status: 'fail',
        summary: `the database ${dbPath} exists but cannot be written (${dbDenied})`,
        why: 'every SMS is committed to the store before it is deleted from the SIM; without writes nothing is received.',
        fix: `sudo chown ${system.userName()} ${dbPath}* (the -wal and -shm files too)`,
      },
    ];
  }
  return [
    {
      id: 'store',
      status: 'fail',
      summary: `cannot write in ${existing} (${failed}) for storage.sqlite ${config.storage.sqlite}`,
      why: 'every SMS is committed to the store before it is deleted from the SIM; without writes nothing is received.',
      fix: `sudo install -d -o ${system.userName()} -m 0700 ${dir}; or use the service's state directory: storage.sqlite: /var/lib/simbridge/simbridge.db in ${configPath}`,
    },
  ];
};

export const checkClock: DoctorCheck = async ({ system }) => {
  const now = new Date(system.now());
  if (now.getUTCFullYear() < MIN_SANE_YEAR) {
    return [
      {
        id: 'clock',
        status: 'fail',
        summary: `the clock says ${now.toISOString()}`,
        why: 'push ages, retries, expiry and TLS certificate checks all use the clock; a Pi without a real-time clock starts in the past until NTP sets it.',
        fix: 'connect the Pi to the network and enable time sync: sudo timedatectl set-ntp true',
      },
    ];
  }
  const ntp = await system.exec('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']);
  const answer = ntp.stdout.trim();
  if (ntp.code === 0 && answer === 'yes') {
    return [{ id: 'clock', status: 'pass', summary: `${now.toISOString()}, synchronised by NTP` }];
  }
  if (ntp.code === 0 && answer === 'no') {
    return [
      {
        id: 'clock',
        status: 'warn',
        summary: `${now.toISOString()}, not synchronised by NTP`,
        why: 'a drifting clock skews push ages and expiry, and a wrong date breaks TLS to Onlinesim.',
        fix: 'sudo timedatectl set-ntp true (systemd-timesyncd), and allow UDP 123 out',
      },
    ];
  }
  return [
    { id: 'clock', status: 'pass', summary: `${now.toISOString()} (NTP status unknown: no timedatectl)` },
  ];
};

export function skipped(id: string, reason: string): CheckResult {
  return { id, status: 'skip', summary: `skipped: ${reason}` };
}

/** Runs checks in order; a check that throws becomes a failed verdict, not a crash. */
export async function runChecks(checks: readonly DoctorCheck[], ctx: DoctorContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      results.push(...(await check(ctx)));
    } catch (err) {
      results.push({
        id: check.name || 'check',
        status: 'fail',
        summary: `the check itself failed: ${(err as Error).message}`,
        fix: 'report this with the output of simbridge doctor --json',
      });
    }
  }
  return results;
}
