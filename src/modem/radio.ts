import type { AtCommander } from '../at/types.js';
import { call, isOk } from './at-call.js';
import { parseCops } from './parsers/parse-cops.js';
import { parseRegistrationQuery } from './parsers/parse-creg.js';
import { parseCsq } from './parsers/parse-csq.js';
import { type Query, QueryLine } from './query-line.js';
import type { ModemRadioStatus } from './types.js';

const RADIO_QUERIES: readonly Query[] = [
  { command: 'AT+COPS?', prefix: '+COPS:' },
  { command: 'AT+CSQ', prefix: '+CSQ:' },
  { command: 'AT+CREG?', prefix: '+CREG:' },
];

/**
 * Operator (`AT+COPS?`, TS 27.007 §7.3), signal (`AT+CSQ`, §8.5) and registration
 * (`AT+CREG?`, §7.2; `AT+CEREG?` on LTE-only modems). Unanswered parts stay null/false.
 * With a combining `line` the first three go out as one command line, `AT+COPS?;+CSQ;+CREG?`
 * (see query-line.ts); by default one command each.
 */
export async function readRadioStatus(
  at: AtCommander,
  timeoutMs?: number,
  line: QueryLine = new QueryLine(false),
): Promise<ModemRadioStatus> {
  const [cops, csq, creg] = await line.run(at, RADIO_QUERIES, timeoutMs);
  let registration = creg;
  let registered =
    registration && isOk(registration)
      ? (parseRegistrationQuery(registration.lines)?.registered ?? false)
      : false;
  if (!registered) {
    registration = await call(at, 'AT+CEREG?', { expect: ['+CEREG:'], timeoutMs });
    registered = isOk(registration)
      ? (parseRegistrationQuery(registration.lines)?.registered ?? false)
      : false;
  }
  return {
    operator: cops && isOk(cops) ? (parseCops(cops.lines)?.operator ?? null) : null,
    signal: csq && isOk(csq) ? (parseCsq(csq.lines)?.rssi ?? null) : null,
    registered,
  };
}
