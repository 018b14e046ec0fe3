import { type CommandHandler, cmeError, error, intArg, ok } from './context.js';

/**
 * Subscriber commands: `AT+CNUM` (TS 27.007 §7.1) and `AT+CUSD` (§7.15). The USSD answer comes
 * later as an unsolicited `+CUSD:` line; the command itself answers `OK` at once, as Huawei,
 * SIMCom and Quectel firmware do.
 */

/** `AT+CNUM`: the stored number, or `OK` alone when the SIM stores none. */
const cnum: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok();
  if (!context.pinUnlocked) return cmeError(11);
  const line = context.subscriber.cnumLine(context.identity.phoneNumber);
  return line === null ? ok() : ok(line);
};

/** `AT+CUSD=<n>[,<str>[,<dcs>]]`: n 1 sends `<str>`, n 2 ends the session. */
const cusd: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok('+CUSD: (0-2)');
  if (request.kind === 'read') return ok('+CUSD: 1');
  if (request.kind !== 'set') return error();
  const n = intArg(request, 0);
  if (n === null || n > 2) return cmeError(4);
  if (n === 2) {
    context.subscriber.cancel();
    return ok();
  }
  const code = request.args[1];
  if (code === undefined || code === '') return ok();
  if (!context.pinUnlocked) return cmeError(11);
  if (!context.registered) return cmeError(30);
  return {
    lines: [],
    final: { kind: 'ok' },
    after: () => context.subscriber.request(code, (line) => context.sendUrc(line)),
  };
};

export const SUBSCRIBER_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  '+CNUM': cnum,
  '+CUSD': cusd,
};
