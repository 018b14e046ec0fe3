import { type CommandHandler, cmeError, error, intArg, ok } from './context.js';
import { SUBSCRIBER_COMMANDS } from './subscriber.js';

/**
 * V.250 basic commands and TS 27.007 general, SIM and network commands.
 * Each handler answers what a real modem answers for the form it is given.
 */

/** ATE0/ATE1 (V.250 §6.2.4) — command echo. */
const echo: CommandHandler = (request, context) => {
  const value = request.args[0] ?? '0';
  if (value !== '0' && value !== '1') return error();
  context.settings.echo = value === '1';
  return ok();
};

/** ATZ (V.250 §6.1.1) and AT&F: settings back to defaults after the OK; no reboot, storage kept. */
const resetProfile: CommandHandler = (_request, context) => ({
  lines: [],
  final: { kind: 'ok' },
  after: () => context.resetSettings(),
});

/** AT+CMEE (TS 27.007 §9.1). */
const cmee: CommandHandler = (request, context) => {
  if (request.kind === 'read') return ok(`+CMEE: ${context.settings.cmee}`);
  if (request.kind === 'test') return ok('+CMEE: (0-2)');
  const value = intArg(request, 0) ?? 0;
  if (value > 2) return cmeError(4);
  context.settings.cmee = value as 0 | 1 | 2;
  return ok();
};

/** AT+CPIN (TS 27.007 §8.3). */
const cpin: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok();
  if (request.kind === 'read') return ok(`+CPIN: ${context.pinUnlocked ? 'READY' : 'SIM PIN'}`);
  if (request.kind !== 'set') return error();
  if (context.pinUnlocked) return cmeError(3);
  if (request.args[0] !== context.simPin) return cmeError(16);
  context.pinUnlocked = true;
  return ok();
};

const identityAnswer =
  (pick: (context: Parameters<CommandHandler>[1]) => string, needsSim = false): CommandHandler =>
  (request, context) => {
    if (request.kind === 'test') return ok();
    if (needsSim && !context.pinUnlocked) return cmeError(11);
    return ok(pick(context));
  };

/** AT+COPS (TS 27.007 §7.3): `+COPS: 0,<format>,"<oper>",<AcT>`. */
const cops: CommandHandler = (request, context) => {
  if (request.kind === 'test')
    return ok(`+COPS: (2,"${context.identity.operator}","EMU","25001",7),,(0-4),(0-2)`);
  if (request.kind === 'set') {
    const format = intArg(request, 1);
    if (format !== null) {
      if (format > 2) return cmeError(4);
      context.settings.copsFormat = format as 0 | 1 | 2;
    }
    return ok();
  }
  if (!context.registered) return ok('+COPS: 0');
  const names = [context.identity.operator, 'EMU', context.identity.imsi.slice(0, 5)];
  const format = context.settings.copsFormat;
  return ok(`+COPS: 0,${format},"${names[format]}",7`);
};

/** AT+CSQ (TS 27.007 §8.5). */
const csq: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok('+CSQ: (0-31,99),(0-7,99)');
  return ok(`+CSQ: ${context.registered ? context.signal : 99},99`);
};

/** AT+CREG / +CGREG / +CEREG (TS 27.007 §7.2, §10.1.19, §10.1.22). */
const registration =
  (name: 'CREG' | 'CGREG' | 'CEREG'): CommandHandler =>
  (request, context) => {
    if (request.kind === 'test') return ok(`+${name}: (0-2)`);
    if (request.kind === 'set') {
      const value = intArg(request, 0) ?? 0;
      if (value > 2) return cmeError(4);
      context.settings.regUrc[name] = value;
      return ok();
    }
    return ok(`+${name}: ${context.settings.regUrc[name]},${context.registered ? 1 : 0}`);
  };

/** AT+CFUN (TS 27.007 §8.2): `=1,1` reboots; `=0`/`=4` take the radio off. */
const cfun: CommandHandler = (request, context) => {
  if (request.kind === 'read') return ok(`+CFUN: ${context.functionality}`);
  if (request.kind === 'test') return ok('+CFUN: (0,1,4),(0,1)');
  if (request.kind !== 'set') return error();
  const fun = intArg(request, 0);
  if (fun === null || ![0, 1, 4].includes(fun)) return cmeError(4);
  if (intArg(request, 1) === 1)
    return { lines: [], final: { kind: 'ok' }, after: () => context.reboot('CFUN=1,1') };
  context.functionality = fun;
  context.registered = fun === 1;
  return ok();
};

/** The ICCID in the vendor's own command (quirks.md §9: the ICCID is the SIM identity). */
const iccid: CommandHandler = (request, context) => {
  if (request.kind === 'test') return ok();
  if (!context.pinUnlocked) return cmeError(11);
  return ok(`${context.profile.iccidPrefix}${context.identity.iccid}`);
};

export const GENERAL_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  E: echo,
  Z: resetProfile,
  '&F': resetProfile,
  V: () => ok(),
  Q: () => ok(),
  '&W': () => ok(),
  '&C': () => ok(),
  '&D': () => ok(),
  I: (_request, context) =>
    ok(
      `Manufacturer: ${context.profile.manufacturer}`,
      `Model: ${context.profile.model}`,
      `Revision: ${context.profile.revision}`,
      `IMEI: ${context.identity.imei}`,
    ),
  '+CMEE': cmee,
  '+CPIN': cpin,
  '+CGMI': identityAnswer((c) => c.profile.manufacturer),
  '+GMI': identityAnswer((c) => c.profile.manufacturer),
  '+CGMM': identityAnswer((c) => c.profile.model),
  '+GMM': identityAnswer((c) => c.profile.model),
  '+CGMR': identityAnswer((c) => c.profile.revision),
  '+GMR': identityAnswer((c) => c.profile.revision),
  '+CGSN': identityAnswer((c) => c.identity.imei),
  '+GSN': identityAnswer((c) => c.identity.imei),
  '+CIMI': identityAnswer((c) => c.identity.imsi, true),
  ...SUBSCRIBER_COMMANDS,
  '+COPS': cops,
  '+CSQ': csq,
  '+CREG': registration('CREG'),
  '+CGREG': registration('CGREG'),
  '+CEREG': registration('CEREG'),
  '+CFUN': cfun,
  ICCID: iccid,
};
