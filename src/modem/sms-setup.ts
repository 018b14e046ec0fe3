import type { AtResponse } from '../at/types.js';
import { GatewayError } from '../errors.js';
import { call, describeFinal, isOk } from './at-call.js';
import { runStep, type StepContext } from './init-sequence.js';
import { chooseCnmi, type DeliveryMode } from './parsers/parse-cnmi-test.js';
import { parseCpmsFill, parseCpmsSupport, type StorageFill } from './parsers/parse-cpms.js';
import type { ModemProfile } from './profiles/profile.js';

/** How the modem was set up to hand us messages. */
export interface SmsSettings {
  /** PDU mode (`AT+CMGF=0`) unless the modem refused it. */
  mode: 'pdu' | 'text';
  /** Text mode only: the TE character set in use (`AT+CSCS`). */
  charset: 'UCS2' | 'GSM' | null;
  /** Text mode only: `AT+CSDH=1` took, headers carry every field. */
  csdh: boolean;
  storage: string;
  delivery: DeliveryMode;
  /** `AT+CSMS=1` took: a `+CMT` must be acknowledged with `AT+CNMA` (TS 27.005 §3.4.4). */
  ackWithCnma: boolean;
  /** The `AT+CNMI=…` that took, or null when the modem refused every setting (poll only). */
  indications: string | null;
}

/**
 * Message format, TS 27.005 §3.2.3: PDU mode; a modem that refuses it falls back to text mode
 * with `AT+CSCS="UCS2"` (or `"GSM"`) and `AT+CSDH=1` so headers carry every field.
 */
export async function setMessageFormat(
  ctx: StepContext,
): Promise<Pick<SmsSettings, 'mode' | 'charset' | 'csdh'>> {
  const pdu = await runStep(ctx, { command: 'AT+CMGF=0', allowError: true });
  if (isOk(pdu)) return { mode: 'pdu', charset: null, csdh: false };
  ctx.log.warn({ final: describeFinal(pdu.final) }, 'PDU mode refused; falling back to text mode');
  await runStep(ctx, { command: 'AT+CMGF=1' });
  const ucs2 = await runStep(ctx, { command: 'AT+CSCS="UCS2"', allowError: true });
  let charset: 'UCS2' | 'GSM' = 'UCS2';
  if (!isOk(ucs2)) {
    await runStep(ctx, { command: 'AT+CSCS="GSM"', allowError: true });
    charset = 'GSM';
  }
  const csdh = await runStep(ctx, { command: 'AT+CSDH=1', allowError: true });
  return { mode: 'text', charset, csdh: isOk(csdh) };
}

/** Picks the storage for mem1..mem3: the profile's preference when offered everywhere, else SM/ME/MT. */
export function chooseStorage(support: string[][] | null, preferred: string): string {
  if (support === null || support.length === 0) return preferred;
  const offeredEverywhere = (name: string): boolean => support.every((list) => list.includes(name));
  for (const name of [preferred, 'SM', 'MT', 'ME']) if (offeredEverywhere(name)) return name;
  const first = support[0] ?? [];
  for (const name of [preferred, 'SM', 'MT', 'ME']) if (first.includes(name)) return name;
  return preferred;
}

/**
 * Preferred message storage, TS 27.005 §3.2.2: all three memories on one storage so `+CMTI`,
 * `+CMGL` and `+CMGD` see the same messages. Older firmware takes fewer parameters.
 */
export async function selectStorage(ctx: StepContext, profile: ModemProfile): Promise<string> {
  const test = await runStep(ctx, { command: 'AT+CPMS=?', allowError: true }, ['+CPMS:']);
  const storage = chooseStorage(isOk(test) ? parseCpmsSupport(test.lines) : null, profile.preferredStorage);
  const quoted = `"${storage}"`;
  for (const params of [[quoted, quoted, quoted], [quoted, quoted], [quoted]]) {
    const response = await runStep(ctx, { command: `AT+CPMS=${params.join(',')}`, allowError: true }, [
      '+CPMS:',
    ]);
    if (isOk(response)) return storage;
  }
  throw new GatewayError('MODEM_INIT_FAILED', `modem refused message storage ${storage}`, {
    context: { storage },
  });
}

/** Reads the storage fill (`AT+CPMS?`); null when the modem does not say (or is SIM busy). */
export async function readStorageFill(
  ctx: Pick<StepContext, 'at' | 'timings'>,
  timeoutMs = ctx.timings.commandTimeoutMs,
): Promise<StorageFill | null> {
  return storageFillOf(await call(ctx.at, 'AT+CPMS?', { expect: ['+CPMS:'], timeoutMs }));
}

/** The first storage's fill in an `AT+CPMS?` answer; null when refused or unreadable. */
export function storageFillOf(response: AtResponse): StorageFill | null {
  if (!isOk(response)) return null;
  return parseCpmsFill(response.lines)?.[0] ?? null;
}

/**
 * New-message indications, TS 27.005 §3.4.1, chosen from `AT+CNMI=?`. With direct delivery
 * (`+CMT`) the phase 2+ service (`AT+CSMS=1`) is turned on so each message is acknowledged
 * with `AT+CNMA` only after the sink accepted it; without it the network considers it
 * delivered at once. A modem refusing every CNMI setting is still served by the poll.
 */
export async function setIndications(
  ctx: StepContext,
): Promise<Pick<SmsSettings, 'delivery' | 'ackWithCnma' | 'indications'>> {
  const test = await runStep(ctx, { command: 'AT+CNMI=?', allowError: true }, ['+CNMI:']);
  const choice = (isOk(test) ? chooseCnmi(test.lines) : null) ?? {
    command: 'AT+CNMI=2,1,0,0,0',
    delivery: 'stored' as const,
  };
  const set = await runStep(ctx, { command: choice.command, allowError: true });
  if (!isOk(set)) {
    ctx.log.warn(
      { command: choice.command, final: describeFinal(set.final) },
      'CNMI refused; relying on polling',
    );
    return { delivery: 'stored', ackWithCnma: false, indications: null };
  }
  if (choice.delivery === 'stored')
    return { delivery: 'stored', ackWithCnma: false, indications: choice.command };
  const csms = await runStep(ctx, { command: 'AT+CSMS=1', allowError: true }, ['+CSMS:']);
  return { delivery: 'direct', ackWithCnma: isOk(csms), indications: choice.command };
}

/**
 * True when `AT+CNMI?` no longer shows the mode and mt we set: the modem reset without a boot
 * URC we recognise (a Huawei prints only `^BOOT`, which is also periodic noise) and would
 * announce nothing until set up again. Unknown answers count as unchanged.
 */
export async function indicationsLost(
  ctx: Pick<StepContext, 'at' | 'timings'>,
  command: string,
): Promise<boolean> {
  const response = await call(ctx.at, 'AT+CNMI?', {
    expect: ['+CNMI:'],
    timeoutMs: ctx.timings.commandTimeoutMs,
  });
  return cnmiChanged(response, command);
}

/**
 * True when an `AT+CNMI?` answer shows another mode or mt than `command` (`AT+CNMI=2,1,0,0,0`)
 * set; a refused or unreadable answer counts as unchanged.
 */
export function cnmiChanged(response: AtResponse, command: string): boolean {
  const line = response.lines.find((l) => l.startsWith('+CNMI:'));
  if (!isOk(response) || line === undefined) return false;
  const current = line
    .slice('+CNMI:'.length)
    .split(',')
    .map((v) => Number.parseInt(v.trim(), 10));
  const wanted = command
    .slice('AT+CNMI='.length)
    .split(',')
    .map((v) => Number.parseInt(v.trim(), 10));
  return current[0] !== wanted[0] || current[1] !== wanted[1];
}
