import type { AtCommander } from '../at/types.js';
import { call, isOk } from './at-call.js';
import { parseIccid } from './parsers/parse-ccid.js';
import { parseCnum, parseImei, parseImsi, parseInfoText } from './parsers/parse-identity.js';
import type { ModemProfile } from './profiles/profile.js';
import { selectProfile } from './profiles/select-profile.js';
import type { ModemIdentity } from './types.js';

/** Device identity (TS 27.007 §5.1-§5.4): manufacturer, model, revision, IMEI; no SIM needed. */
export async function readDeviceIdentity(
  at: AtCommander,
  timeoutMs?: number,
): Promise<{ identity: ModemIdentity; profile: ModemProfile }> {
  const text = async (command: 'CGMI' | 'CGMM' | 'CGMR'): Promise<string | null> => {
    const response = await call(at, `AT+${command}`, { timeoutMs, expect: [`+${command}:`] });
    return isOk(response) ? parseInfoText(response.lines, command) : null;
  };
  const manufacturer = await text('CGMI');
  const model = await text('CGMM');
  const revision = await text('CGMR');
  const imeiResponse = await call(at, 'AT+CGSN', { timeoutMs, expect: ['+CGSN:'] });
  const imei = isOk(imeiResponse) ? parseImei(imeiResponse.lines) : null;
  const profile = selectProfile({ manufacturer, model });
  return {
    identity: { manufacturer, model, revision, imei, imsi: null, iccid: null, vendor: profile.vendor },
    profile,
  };
}

/** IMSI (`AT+CIMI`, TS 27.007 §5.6); null when the SIM does not answer. */
export async function readImsi(at: AtCommander, timeoutMs?: number): Promise<string | null> {
  const response = await call(at, 'AT+CIMI', { timeoutMs, expect: ['+CIMI:'] });
  return isOk(response) ? parseImsi(response.lines) : null;
}

/** The number stored on the SIM (`AT+CNUM`); null when none is stored or the modem refuses. */
export async function readOwnNumber(at: AtCommander, timeoutMs?: number): Promise<string | null> {
  const response = await call(at, 'AT+CNUM', { timeoutMs, expect: ['+CNUM:'] });
  return isOk(response) ? parseCnum(response.lines) : null;
}

/**
 * ICCID through the profile's commands, first answer wins. `AT+CRSM=176,12258,…` (READ BINARY
 * of EF_ICCID, TS 27.007 §8.18) answers `+CRSM: 144,0,"98…"` in raw BCD, hence swapped.
 */
export async function readIccid(
  at: AtCommander,
  profile: ModemProfile,
  timeoutMs?: number,
): Promise<string | null> {
  for (const command of profile.iccidCommands) {
    const prefix = command.replace(/^AT/, '').replace(/[?=].*$/, '');
    const response = await call(at, command, { timeoutMs, expect: [`${prefix}:`, '+CCID:', '+ICCID:'] });
    if (!isOk(response)) continue;
    const iccid = parseIccid(response.lines);
    if (iccid) return iccid;
  }
  return null;
}
