import type { AtCommander, FinalResult } from '../at/types.js';
import { isSimBusy } from './profiles/profile.js';

/** How one SMS read ended, as far as the SIM's health goes. */
export type SmsReadOutcome = 'ok' | 'failed';

/** `+CMS ERROR: 321`, invalid memory index: an `AT+CMGR` of a slot the sweep already emptied. */
const INVALID_INDEX = 321;

/**
 * Judges one command for the SIM's read-error streak: `ok` for an `AT+CMGR` / `AT+CMGL` that
 * answered OK, `failed` for one that ended in `+CMS ERROR`, null for anything that says nothing
 * about the SIM (other commands, SIM busy, an empty slot read after a race, timeouts).
 */
export function classifySmsRead(command: string, final: FinalResult): SmsReadOutcome | null {
  const read = /^AT\+CMG([RL])=/i.exec(command);
  if (!read) return null;
  if (final.kind === 'ok') return 'ok';
  // SIM busy (transient after a boot) says nothing about the SIM's health.
  if (final.kind !== 'cms' || isSimBusy(final)) return null;
  if (final.code === INVALID_INDEX && read[1]?.toUpperCase() === 'R') return null;
  return 'failed';
}

/**
 * Wraps a commander so that every SMS read reports how it ended. Costs nothing on the line:
 * it only looks at answers the driver asked for anyway.
 */
export function tapSmsReads(at: AtCommander, onRead: (outcome: SmsReadOutcome) => void): AtCommander {
  return {
    async send(command, options) {
      const response = await at.send(command, options);
      const outcome = classifySmsRead(command, response.final);
      if (outcome !== null) onRead(outcome);
      return response;
    },
    addUrcHandler: (handler) => at.addUrcHandler(handler),
    onUnhandledLine: (listener) => at.onUnhandledLine(listener),
    close: () => at.close(),
  };
}
