import type { ModemProfile } from './profile.js';

/**
 * Quectel EC25/EG25/EC21/EG91/EG95/BG96 (quirks.md §4).
 * - `AT+QURCCFG="urcport","usbat"` routes URCs to the USB AT port we listen on.
 * - `+QIND: SMS DONE` marks the SMS subsystem ready; commands before it answer SIM busy.
 * - ICCID via `AT+QCCID`.
 * - `AT+CFUN=1,1` reboots the module; USB re-enumerates and the manager finds it again.
 */
export const quectelProfile: ModemProfile = {
  vendor: 'quectel',
  matches: (manufacturer, model) => /quectel/i.test(manufacturer) || /^(EC2\d|EG\d\d|BG9\d)/i.test(model),
  initSteps: [{ command: 'AT+QURCCFG="urcport","usbat"', allowError: true }],
  iccidCommands: ['AT+QCCID', 'AT+CCID', 'AT+ICCID'],
  readyUrcs: [/^\+QIND: ?"?SMS DONE"?$/i],
  noiseUrcs: [/^\+QIND: ?"?PB DONE"?$/i, /^\+QIND: ?"?csq"?/i, /^\+QUSIM:/, /^RING$/, /^\+CLIP:/],
  storageFullUrcs: [],
  resetCommands: ['AT+CFUN=1,1'],
  storageIndexBase: 1,
  preferredStorage: 'SM',
};
