import type { ModemProfile } from './profile.js';

/**
 * Any TS 27.005/27.007 modem: the baseline of quirks.md §0. The ICCID command varies, so the
 * common spellings are tried in turn.
 */
export const genericProfile: ModemProfile = {
  vendor: 'generic',
  matches: () => true,
  initSteps: [],
  iccidCommands: ['AT+CCID', 'AT+ICCID', 'AT^ICCID?', 'AT+QCCID', 'AT+CRSM=176,12258,0,0,10'],
  readyUrcs: [/^SMS Ready$/i, /^SMS DONE$/i, /^\+QIND: ?"?SMS DONE"?$/i],
  noiseUrcs: [/^\+CSQN?:/, /^RING$/, /^\+CLIP:/, /^Call Ready$/i, /^PB DONE$/i, /^\+QIND: ?"?PB DONE"?$/i],
  storageFullUrcs: [],
  // CFUN=0 then 1 restarts the radio without a USB re-enumeration.
  resetCommands: ['AT+CFUN=0', 'AT+CFUN=1'],
  storageIndexBase: 1,
  preferredStorage: 'SM',
};
