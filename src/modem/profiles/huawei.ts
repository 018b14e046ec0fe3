import type { ModemProfile } from './profile.js';

/**
 * Huawei sticks in stick mode (E1550, E173, E1752, E3131, E3372, E3531; quirks.md §1).
 * - `AT^CURC=0` silences the periodic `^RSSI`/`^DSFLOWRPT`/`^BOOT` reports; firmware that lacks
 *   it answers `COMMAND NOT SUPPORT`, which is tolerated.
 * - Storage indexes start at 0 (gammu `SMS_LOCATION_0`).
 * - A full storage stops `+CMTI` and prints `^SMMEMFULL` instead (E1750, chan_dongle #47).
 * - Never `AT+CFUN=1,1`: an E173 re-enumerates back into CD-ROM mode under a new tty
 *   (gammu #687). The reset is CFUN=0 then CFUN=1, which keeps the USB device.
 */
export const huaweiProfile: ModemProfile = {
  vendor: 'huawei',
  matches: (manufacturer) => /huawei/i.test(manufacturer),
  initSteps: [{ command: 'AT^CURC=0', allowError: true }],
  iccidCommands: ['AT^ICCID?', 'AT+CCID', 'AT+ICCID', 'AT+CRSM=176,12258,0,0,10'],
  readyUrcs: [],
  noiseUrcs: [
    /^\^RSSI:/,
    /^\^HCSQ:/,
    /^\^H?RSSILVL:/,
    /^\^BOOT:/,
    /^\^MODE:/,
    /^\^SRVST:/,
    /^\^SIMST:/,
    /^\^DSFLOWRPT:/,
    /^\^NDISSTAT:/,
    /^\^CSNR:/,
    /^\^STIN:/,
    /^\^NWTIME:/,
    /^\^(ORIG|CONF|CONN|CEND):/,
    /^\+CRING:/,
    /^\+CLIP:/,
    /^RING$/,
  ],
  storageFullUrcs: [/^\^SMMEMFULL/],
  resetCommands: ['AT+CFUN=0', 'AT+CFUN=1'],
  storageIndexBase: 0,
  preferredStorage: 'SM',
};
