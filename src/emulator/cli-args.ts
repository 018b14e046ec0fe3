import { parseArgs } from 'node:util';
import { GatewayError, toError } from '../errors.js';
import { MODEM_PROFILE_NAMES } from './profiles.js';
import {
  DEFAULT_BALANCE_USSD,
  DEFAULT_NUMBER_USSD,
  DEFAULT_USSD_DELAY_MS,
  defaultUssd,
  type SubscriberOptions,
  type UssdBehaviour,
} from './subscriber.js';
import type { ModemProfileName } from './types.js';

/** The emulator's default answer to `code`, `{number}` standing for each modem's number. */
function defaultAnswer(code: string): string {
  const answer = defaultUssd('{number}')[code];
  return answer?.kind === 'text' ? answer.text : '';
}

export const EMULATOR_USAGE = `Usage: simbridge emulator [options]

Starts emulated GSM modems on pseudo-terminals and prints their paths and SIM identities as
JSON. Runs until SIGINT/SIGTERM.

Options:
  --count <n>          number of modems (default 1)
  --profile <name>     ${MODEM_PROFILE_NAMES.join(', ')} or mixed (default generic)
  --dir <path>         directory for the pty links (default: a new temp directory)
  --seed <n>           identity seed (default 1)
  --baud <n>           emulated line speed, 0 = unlimited (default 115200)
  --sim-capacity <n>   SIM storage size (default 30)
  --every-ms <n>       inject one SMS every n ms, modems in turn (default: none)
  --boot               send the boot URCs at start, like a freshly plugged modem
  --usb                show each modem as a USB device with all its ttys (<dir>/modem-00-if00,
                       -if01, ...: silent, NMEA, secondary AT and the AT port) described in a
                       fake sysfs tree (<dir>/sysfs; pass it to simbridge modems --sysfs)
  -h, --help           show this help

Subscriber answers (SIM onboarding by AT+CNUM and USSD), the same for every modem:
  --no-cnum               AT+CNUM answers OK alone, as on most prepaid SIMs (default: the
                          SIM's number), so the number must come from USSD
  --number-ussd <code>    the code that asks the network for the number (default ${DEFAULT_NUMBER_USSD})
  --number-answer <a>     its answer (default "${defaultAnswer(DEFAULT_NUMBER_USSD)}"); {number} is each
                          modem's own number
  --balance-ussd <code>   the code that asks for the balance (default ${DEFAULT_BALANCE_USSD})
  --balance-answer <a>    its answer (default "${defaultAnswer(DEFAULT_BALANCE_USSD)}")
  --ussd-delay-ms <n>     delay of every USSD answer after the OK (default ${DEFAULT_USSD_DELAY_MS})
                          An answer is a text (\\n for a line break: an answer over several
                          lines; GSM 7-bit when it fits, else UCS-2), "silent" (no answer ever)
                          or "ended" (+CUSD: 2, the network ends the session). Other codes get
                          +CUSD: 4, and so does a default code once another code replaces it.
`;

/** What the subscriber flags asked for; unset fields keep the emulator's defaults. */
export interface SubscriberFlags {
  storesNumber?: boolean;
  ussdDelayMs?: number;
  number?: { code: string; answer: UssdBehaviour | null };
  balance?: { code: string; answer: UssdBehaviour | null };
}

export interface EmulatorCliOptions {
  count: number;
  profile: ModemProfileName | 'mixed';
  dir: string | undefined;
  seed: number;
  baud: number;
  simCapacity: number;
  everyMs: number;
  boot: boolean;
  usb: boolean;
  subscriber: SubscriberFlags;
}

export type ParsedEmulatorArgs = { help: true } | { help: false; options: EmulatorCliOptions };

/** A USSD code as a subscriber dials it: `*` or `#` first, `#` last (TS 22.030 §6.5.2). */
const USSD_CODE = /^[*#][0-9*#+]{0,62}#$/;

function badOption(message: string, flag: string): GatewayError {
  return new GatewayError('EMU_BAD_OPTIONS', message, { context: { flag } });
}

function nonNegativeInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isInteger(parsed) || parsed < 0) {
    throw badOption(`--${name} must be a non-negative integer`, name);
  }
  return parsed;
}

function ussdCode(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!USSD_CODE.test(value))
    throw badOption(`--${name} must be a USSD code such as *100#, got "${value}"`, name);
  return value;
}

/** `silent`, `ended`, or a text; `\n` in the flag is a line break. Null: the default answer. */
function ussdAnswer(value: string | undefined, name: string): UssdBehaviour | null {
  if (value === undefined) return null;
  if (value.trim() === '') throw badOption(`--${name} needs a text, "silent" or "ended"`, name);
  if (value === 'silent') return { kind: 'silent' };
  if (value === 'ended') return { kind: 'ended' };
  return { kind: 'text', text: value.replace(/\\n/g, '\n') };
}

function answerFlags(
  code: string | undefined,
  answer: UssdBehaviour | null,
  fallbackCode: string,
): { code: string; answer: UssdBehaviour | null } | undefined {
  if (code === undefined && answer === null) return undefined;
  return { code: code ?? fallbackCode, answer };
}

/** Parses `simbridge emulator` arguments; throws `EMU_BAD_OPTIONS` for a bad one. */
export function parseEmulatorArgs(argv: readonly string[]): ParsedEmulatorArgs {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    // node:util's own errors (unknown option, missing value) keep their message.
    throw new GatewayError('EMU_BAD_OPTIONS', toError(error).message, { cause: error });
  }
  if (values.help) return { help: true };
  const profile = values.profile ?? 'generic';
  if (profile !== 'mixed' && !(MODEM_PROFILE_NAMES as string[]).includes(profile)) {
    throw badOption(`unknown --profile "${profile}"`, 'profile');
  }
  const subscriber: SubscriberFlags = {};
  if (values['no-cnum']) subscriber.storesNumber = false;
  if (values['ussd-delay-ms'] !== undefined) {
    subscriber.ussdDelayMs = nonNegativeInt(values['ussd-delay-ms'], DEFAULT_USSD_DELAY_MS, 'ussd-delay-ms');
  }
  const number = answerFlags(
    ussdCode(values['number-ussd'], 'number-ussd'),
    ussdAnswer(values['number-answer'], 'number-answer'),
    DEFAULT_NUMBER_USSD,
  );
  if (number) subscriber.number = number;
  const balance = answerFlags(
    ussdCode(values['balance-ussd'], 'balance-ussd'),
    ussdAnswer(values['balance-answer'], 'balance-answer'),
    DEFAULT_BALANCE_USSD,
  );
  if (balance) subscriber.balance = balance;
  return {
    help: false,
    options: {
      count: Math.max(1, nonNegativeInt(values.count, 1, 'count')),
      profile: profile as ModemProfileName | 'mixed',
      dir: values.dir,
      seed: nonNegativeInt(values.seed, 1, 'seed'),
      baud: nonNegativeInt(values.baud, 115_200, 'baud'),
      simCapacity: nonNegativeInt(values['sim-capacity'], 30, 'sim-capacity'),
      everyMs: nonNegativeInt(values['every-ms'], 0, 'every-ms'),
      boot: values.boot ?? false,
      usb: values.usb ?? false,
      subscriber,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      count: { type: 'string' },
      profile: { type: 'string' },
      dir: { type: 'string' },
      seed: { type: 'string' },
      baud: { type: 'string' },
      'sim-capacity': { type: 'string' },
      'every-ms': { type: 'string' },
      boot: { type: 'boolean' },
      usb: { type: 'boolean' },
      'no-cnum': { type: 'boolean' },
      'number-ussd': { type: 'string' },
      'number-answer': { type: 'string' },
      'balance-ussd': { type: 'string' },
      'balance-answer': { type: 'string' },
      'ussd-delay-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

/**
 * One modem's subscriber options from the flags: `{number}` in a text answer becomes that
 * modem's own number, as an operator's "your number is" answer would say. Empty without flags,
 * so the emulator's defaults stand (subscriber.ts).
 */
export function subscriberOptions(flags: SubscriberFlags, phoneNumber: string): Partial<SubscriberOptions> {
  const options: Partial<SubscriberOptions> = {};
  if (flags.storesNumber !== undefined) options.storesNumber = flags.storesNumber;
  if (flags.ussdDelayMs !== undefined) options.ussdDelayMs = flags.ussdDelayMs;
  const ussd: Record<string, UssdBehaviour> = {};
  // A changed code without an answer flag answers what the default code does.
  const defaults = defaultUssd(phoneNumber);
  const { number, balance } = flags;
  // The default code a flag moved away from stops answering, as on an operator that uses the
  // other code: a bridge still configured with the default must find no number there. Set
  // first, so a flag that names the other default code still gets its answer.
  const withdrawn: UssdBehaviour = { kind: 'not-supported' };
  if (number && number.code !== DEFAULT_NUMBER_USSD) ussd[DEFAULT_NUMBER_USSD] = withdrawn;
  if (balance && balance.code !== DEFAULT_BALANCE_USSD) ussd[DEFAULT_BALANCE_USSD] = withdrawn;
  if (number) {
    const answer = number.answer ?? defaults[DEFAULT_NUMBER_USSD];
    if (answer) ussd[number.code] = withNumber(answer, phoneNumber);
  }
  if (balance) {
    const answer = balance.answer ?? defaults[DEFAULT_BALANCE_USSD];
    if (answer) ussd[balance.code] = answer;
  }
  if (Object.keys(ussd).length > 0) options.ussd = ussd;
  return options;
}

function withNumber(answer: UssdBehaviour, phoneNumber: string): UssdBehaviour {
  return answer.kind === 'text'
    ? { ...answer, text: answer.text.replaceAll('{number}', phoneNumber) }
    : answer;
}
