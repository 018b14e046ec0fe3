import type { AtRequest } from '../command-line.js';
import { parseCommandLine } from '../command-line.js';
import { type CommandContext, type CommandOutcome, cmeError, cmsError, ok } from './context.js';
import { GENERAL_COMMANDS } from './general.js';
import { SMS_COMMANDS, SMS_COMMANDS_ALWAYS_AVAILABLE } from './sms.js';

/** Commands that need the SIM: CME 14 while it is busy. */
const SIM_COMMANDS = new Set(['+CIMI', '+CNUM', '+CCID', '+ICCID', '^ICCID', '+QCCID']);

/** Readiness that gates commands: SIM busy for this line, SMS service up (boot finished). */
export interface CommandGate {
  simBusy: boolean;
  smsReady: boolean;
  /** Fault: every `AT+CMGR` / `AT+CMGL` ends in `+CMS ERROR: 500` (a blocked SIM). */
  readsFailing?: boolean;
}

const READS = new Set(['+CMGR', '+CMGL']);

function dispatch(request: AtRequest, context: CommandContext, gate: CommandGate): CommandOutcome {
  const { profile } = context;
  const sms = SMS_COMMANDS[request.name];
  if (sms) {
    if (!SMS_COMMANDS_ALWAYS_AVAILABLE.has(request.name)) {
      // quirks.md §0: SMS commands before "SMS Ready" / while the SIM is busy get CMS 314.
      if (gate.simBusy || !gate.smsReady) return cmsError(314);
      if (!context.pinUnlocked) return cmsError(311);
      if (gate.readsFailing && READS.has(request.name) && request.kind === 'set') return cmsError(500);
    }
    return sms(request, context);
  }
  if (request.name === profile.iccidCommand) {
    if (gate.simBusy) return cmeError(14);
    return GENERAL_COMMANDS.ICCID?.(request, context) ?? ok();
  }
  if (SIM_COMMANDS.has(request.name) && gate.simBusy) return cmeError(14);
  if (request.name === '+CPIN' && gate.simBusy) return cmeError(14);
  const general = request.name === 'ICCID' ? undefined : GENERAL_COMMANDS[request.name];
  if (general) return general(request, context);
  if (profile.vendorOkCommands.includes(request.name)) return ok();
  const reply = profile.unknownCommandReply;
  return { lines: [], final: reply === 'ERROR' ? { kind: 'error' } : { kind: 'raw', text: reply } };
}

/**
 * Runs one command line (`AT...`), command by command; the first failure ends the line with
 * its error and nothing after it runs (V.250 §5.2.1).
 */
export function executeCommandLine(line: string, context: CommandContext, gate: CommandGate): CommandOutcome {
  const requests = parseCommandLine(line.slice(2));
  if (requests === null) return { lines: [], final: { kind: 'error' } };
  const lines: string[] = [];
  const afters: (() => void)[] = [];
  for (const request of requests) {
    const outcome = dispatch(request, context, gate);
    lines.push(...outcome.lines);
    if (outcome.after) afters.push(outcome.after);
    if (outcome.final.kind !== 'ok') return { lines, final: outcome.final };
  }
  return {
    lines,
    final: { kind: 'ok' },
    after: () => {
      for (const run of afters) run();
    },
  };
}
