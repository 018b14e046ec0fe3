import type { AtCommander } from '../at/types.js';
import { call, isOk } from './at-call.js';
import { parseCops } from './parsers/parse-cops.js';
import { parseRegistrationQuery } from './parsers/parse-creg.js';
import { parseCsq } from './parsers/parse-csq.js';
import type { ModemRadioStatus } from './types.js';

/**
 * Operator (`AT+COPS?`, TS 27.007 §7.3), signal (`AT+CSQ`, §8.5) and registration
 * (`AT+CREG?`, §7.2; `AT+CEREG?` on LTE-only modems). Unanswered parts stay null/false.
 */
export async function readRadioStatus(at: AtCommander, timeoutMs?: number): Promise<ModemRadioStatus> {
  const cops = await call(at, 'AT+COPS?', { expect: ['+COPS:'], timeoutMs });
  const csq = await call(at, 'AT+CSQ', { expect: ['+CSQ:'], timeoutMs });
  let registration = await call(at, 'AT+CREG?', { expect: ['+CREG:'], timeoutMs });
  let registered = isOk(registration)
    ? (parseRegistrationQuery(registration.lines)?.registered ?? false)
    : false;
  if (!registered) {
    registration = await call(at, 'AT+CEREG?', { expect: ['+CEREG:'], timeoutMs });
    registered = isOk(registration)
      ? (parseRegistrationQuery(registration.lines)?.registered ?? false)
      : false;
  }
  return {
    operator: isOk(cops) ? (parseCops(cops.lines)?.operator ?? null) : null,
    signal: isOk(csq) ? (parseCsq(csq.lines)?.rssi ?? null) : null,
    registered,
  };
}
