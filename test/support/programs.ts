import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * External programs some tests need, with what a Debian/Ubuntu machine installs to get them.
 * `npm test` must pass on a machine with only Node: a test needing a program from this list skips
 * when the program is missing (`describeWith` in describe-with.ts), and
 * `report-missing-programs.ts` prints one line per missing program at the start of the run.
 */
export const PROGRAMS = {
  socat: { command: 'socat', install: 'sudo apt-get install socat', purpose: 'emulated modems on real ptys' },
  python3: {
    command: 'python3',
    install: 'sudo apt-get install python3',
    purpose: 'the pty relay when socat is missing, and ptys the emulator drives directly',
  },
  chromium: {
    // playwright-core drives this exact binary (no browser download on these machines).
    command: '/usr/bin/chromium',
    install: 'sudo apt-get install chromium',
    purpose: 'status page in headless Chromium',
  },
  'systemd-analyze': {
    command: 'systemd-analyze',
    install: 'sudo apt-get install systemd',
    purpose: 'systemd unit verification',
  },
} as const satisfies Record<string, { command: string; install: string; purpose: string }>;

export type ProgramName = keyof typeof PROGRAMS;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The full path of `command` (absolute, or looked up in `PATH` as a spawn would), or null. */
export function findProgram(command: string, path = process.env.PATH ?? ''): string | null {
  if (isAbsolute(command)) return isExecutable(command) ? command : null;
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

export function hasProgram(name: ProgramName): boolean {
  return findProgram(PROGRAMS[name].command) !== null;
}

/** The line printed when `name` is missing: what skips and how to get it. */
export function missingProgramLine(name: ProgramName): string {
  const { purpose, install } = PROGRAMS[name];
  return `skipping tests that need ${name} (${purpose}): install it with \`${install}\``;
}
