import { hasProgram, missingProgramLine, PROGRAMS, type ProgramName } from './programs.js';

/**
 * vitest global setup: one line per missing external program, printed once per run (the tests
 * that need it skip themselves through `describeWith`). The emulated modems need a pty relay:
 * socat, or python3 when socat is missing; only when both are missing do those tests skip.
 */
export default function reportMissingPrograms(): void {
  const missing = (Object.keys(PROGRAMS) as ProgramName[]).filter((name) => !hasProgram(name));
  for (const name of missing) {
    let line = missingProgramLine(name);
    if (name === 'socat' && hasProgram('python3'))
      line += '; the python3 relay runs the emulated modems meanwhile';
    process.stdout.write(`${line}\n`);
  }
}
