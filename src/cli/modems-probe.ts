/**
 * A one-shot look at one serial port: open it, wake the modem, read who it is and which SIM it
 * holds, close it. Reads only: no SMS setting is changed and nothing is deleted, so it is safe to
 * run on a farm's modems (with the service stopped: the port can have one user at a time).
 *
 *   openSerialChannel ──> AtEngine ──> AT, ATE0, AT+CMEE=1 ──> +CGMI/+CGMM/+CGMR/+CGSN
 *        ──> +CIMI, ICCID (vendor command) ──> +COPS?/+CSQ/+CREG? ──> +CPMS? ──> close
 */
import { AtEngine } from '../at/engine.js';
import { isGatewayError, messageWithoutCode, toError } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import { readDeviceIdentity, readIccid, readImsi } from '../modem/identity.js';
import { BASE_STEPS, runSteps } from '../modem/init-sequence.js';
import { resolveTimings } from '../modem/options.js';
import { readRadioStatus } from '../modem/radio.js';
import { readStorageFill } from '../modem/sms-setup.js';
import type { ModemIdentity, ModemRadioStatus } from '../modem/types.js';
import { openSerialChannel, type SerialBinding } from '../transport/serial-channel.js';

export interface ProbeOptions {
  baudRate: number;
  /** Deadline of each AT command. Default 3 s: a modem answers in milliseconds when alive. */
  commandTimeoutMs?: number;
  binding?: SerialBinding;
  log?: Logger;
}

export const DEFAULT_PROBE_COMMAND_TIMEOUT_MS = 3_000;

/** What one port told; `error` set when it could not be opened or did not answer. */
export interface ProbeResult {
  port: string;
  answered: boolean;
  identity: ModemIdentity | null;
  radio: ModemRadioStatus | null;
  storage: { used: number; total: number } | null;
  error: { code: string; message: string; hint: string | null } | null;
}

/** Probes `path`; never throws: failures are described in the result. */
export async function probeModem(path: string, options: ProbeOptions): Promise<ProbeResult> {
  const log = options.log ?? silentLogger();
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_PROBE_COMMAND_TIMEOUT_MS;
  const result: ProbeResult = {
    port: path,
    answered: false,
    identity: null,
    radio: null,
    storage: null,
    error: null,
  };
  let engine: AtEngine;
  try {
    const channel = await openSerialChannel({
      path,
      baudRate: options.baudRate,
      binding: options.binding,
      log,
    });
    engine = new AtEngine({
      channel,
      log,
      timeouts: { defaultMs: timeoutMs, syncMs: timeoutMs, resyncMaxMs: Math.min(timeoutMs, 3_000) },
    });
  } catch (err) {
    result.error = describeProbeError(err, path);
    return result;
  }
  try {
    const timings = resolveTimings({ commandTimeoutMs: timeoutMs });
    await runSteps({ at: engine, log, timings }, BASE_STEPS);
    result.answered = true;
    const { identity, profile } = await readDeviceIdentity(engine, timeoutMs);
    identity.imsi = await readImsi(engine, timeoutMs);
    identity.iccid = await readIccid(engine, profile, timeoutMs);
    result.identity = identity;
    result.radio = await readRadioStatus(engine, timeoutMs);
    const fill = await readStorageFill({ at: engine, timings });
    result.storage = fill === null ? null : { used: fill.used, total: fill.total };
  } catch (err) {
    result.error = describeProbeError(err, path);
  } finally {
    await engine.close().catch(() => undefined);
  }
  return result;
}

/** Turns an open or AT failure into a sentence and a fix the operator can act on. */
export function describeProbeError(err: unknown, path: string): NonNullable<ProbeResult['error']> {
  const error = toError(err);
  const code = isGatewayError(error) ? error.code : 'CLI_PROBE_FAILED';
  const causeText = `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`;
  if (/Cannot lock port|Resource temporarily unavailable|EBUSY|EAGAIN|busy/i.test(causeText)) {
    return {
      code: 'CLI_PORT_BUSY',
      message: `${path} is in use by another program`,
      hint: 'stop the service first (sudo systemctl stop simbridge), or ModemManager if it grabbed the port, then run this again',
    };
  }
  if (/EACCES|Permission denied/i.test(causeText)) {
    return {
      code: 'CLI_PORT_PERMISSION',
      message: `no permission to open ${path}`,
      hint: 'add the user to the group owning the tty (usually dialout: sudo usermod -aG dialout $USER, then log in again), or install the udev rules',
    };
  }
  if (/ENOENT|No such file/i.test(causeText)) {
    return {
      code: 'CLI_PORT_MISSING',
      message: `${path} does not exist`,
      hint: 'check that the modem is plugged in (lsusb, ls -l /dev/gsm /dev/ttyUSB*) and modems.ports in the config',
    };
  }
  if (code === 'AT_TIMEOUT' || /timed? ?out/i.test(error.message)) {
    return {
      code: 'CLI_MODEM_NO_ANSWER',
      message: `${path} opened but nothing answered AT in time`,
      hint: 'this may not be the modem AT interface (try the other ttyUSB ports of the device), the baud rate may be wrong, or the modem is still booting',
    };
  }
  return { code, message: messageWithoutCode(error), hint: null };
}
