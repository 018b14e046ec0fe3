/**
 * Echo recognition (V.250 §6.2.4 `E1`). With echo on, the modem repeats the command line before
 * its answer; after `ATE0` nothing is echoed. Both are handled, so the engine works before and
 * after `ATE0` runs.
 */

/** Ctrl-Z (SUB), which ends an `AT+CMGS` body (TS 27.005 §3.5.1). */
export const CTRL_Z = '\x1a';
/** ESC, which cancels an `AT+CMGS` body at the prompt (TS 27.005 §3.5.1). */
export const ESC = '\x1b';

/**
 * True when `line` is the echo of `command`: equal after trimming, ignoring case (some modems
 * upper-case the echo: `at+cmgl=4` comes back as `AT+CMGL=4`).
 */
export function isCommandEcho(line: string, command: string): boolean {
  return line.trim().toUpperCase() === command.trim().toUpperCase();
}

/**
 * True when `line` is the echo of an `AT+CMGS` body written after the `> ` prompt. The echo may
 * carry the Ctrl-Z and may follow a leftover `> ` on the same line.
 */
export function isBodyEcho(line: string, body: string): boolean {
  const cleaned = line.replaceAll(CTRL_Z, '').replace(/^> /, '').trim();
  return cleaned.length > 0 && cleaned.toUpperCase() === body.trim().toUpperCase();
}
