import type { ModemProfile } from './profile.js';

/**
 * SIMCom modules (quirks.md §3): SIM800/SIM900 (2G UART) print `SMS Ready` once the SMS
 * subsystem is up; SIM7600/SIM7000/SIM7080 (LTE, USB 1e0e) print `SMS DONE`. Before that, SMS
 * commands answer SIM busy and the init retries. Brown-out resets of the SIM800L show up as an
 * unexpected `RDY`/`Call Ready`/`SMS Ready`, which the driver treats as a silent reset.
 */
export const simcomProfile: ModemProfile = {
  vendor: 'simcom',
  matches: (manufacturer, model) => /sim ?com/i.test(manufacturer) || /^(SIMCOM_)?SIM\d{3,4}/i.test(model),
  initSteps: [],
  iccidCommands: ['AT+CCID', 'AT+CICCID', 'AT+ICCID'],
  readyUrcs: [/^SMS Ready$/i, /^SMS DONE$/i],
  noiseUrcs: [
    /^Call Ready$/i,
    /^PB DONE$/i,
    /^\+CSQN:/,
    /^\+CMTE:/,
    /^UNDER-VOLTAGE WARNN?ING/i,
    /^RING$/,
    /^\+CLIP:/,
  ],
  storageFullUrcs: [],
  resetCommands: ['AT+CFUN=1,1'],
  storageIndexBase: 1,
  preferredStorage: 'SM',
};
