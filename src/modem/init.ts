import { readDeviceIdentity, readIccid, readImsi, readOwnNumber } from './identity.js';
import { BASE_STEPS, runStep, runSteps, type StepContext, waitForSim } from './init-sequence.js';
import type { StorageFill } from './parsers/parse-cpms.js';
import type { ModemProfile } from './profiles/profile.js';
import { readRadioStatus } from './radio.js';
import {
  readStorageFill,
  type SmsSettings,
  selectStorage,
  setIndications,
  setMessageFormat,
} from './sms-setup.js';
import type { ModemIdentity, ModemRadioStatus } from './types.js';

/** Everything the init learnt about the modem. */
export interface InitResult {
  identity: ModemIdentity;
  profile: ModemProfile;
  settings: SmsSettings;
  fill: StorageFill | null;
  radio: ModemRadioStatus;
}

/**
 * The full init (quirks.md §0 "Baseline init", STYLE.md §3): echo off and numeric errors, SIM
 * ready, device identity (which picks the vendor profile), the profile's steps, SIM identity,
 * PDU mode (text-mode fallback), storage, indications, registration URCs, then radio status. Safe to run again
 * after a reset: every step sets state, none toggles it.
 */
export async function initializeModem(ctx: StepContext): Promise<InitResult> {
  await runSteps(ctx, BASE_STEPS);
  await waitForSim(ctx);
  const { identity, profile } = await readDeviceIdentity(ctx.at, ctx.timings.commandTimeoutMs);
  ctx.log.debug({ vendor: profile.vendor, model: identity.model }, 'profile selected');
  await runSteps(ctx, profile.initSteps);
  identity.imsi = await readImsi(ctx.at, ctx.timings.commandTimeoutMs);
  identity.iccid = await readIccid(ctx.at, profile, ctx.timings.commandTimeoutMs);
  // The number a SIM stores, if any: the second source of number discovery (src/sims).
  identity.ownNumber = await readOwnNumber(ctx.at, ctx.timings.commandTimeoutMs);
  const format = await setMessageFormat(ctx);
  const storage = await selectStorage(ctx, profile);
  const indications = await setIndications(ctx);
  const fill = await readStorageFill(ctx);
  // +CREG URCs on every registration change (TS 27.007 §7.2): a SIM that drops off the network
  // is noticed at once, not at the next radio poll. Refused by a few modems: the poll remains.
  await runStep(ctx, { command: 'AT+CREG=1', allowError: true });
  const radio = await readRadioStatus(ctx.at, ctx.timings.commandTimeoutMs);
  return { identity, profile, settings: { ...format, storage, ...indications }, fill, radio };
}
