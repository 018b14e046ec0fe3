import type { ModemProfile } from './profile.js';

/**
 * ZTE sticks (MF190, MF110, MF626, MF667; quirks.md §2).
 * - `AT+ZCDRUN=8` stores "no CD autorun" so a reset does not come back as a CD-ROM; older
 *   firmware refuses it, hence allowError.
 * - `+CMGR` sometimes lacks `<stat>` (handled by the CMGR parser).
 */
export const zteProfile: ModemProfile = {
  vendor: 'zte',
  matches: (manufacturer, model) => /zte/i.test(manufacturer) || /^(MF|K35)\d/i.test(model),
  initSteps: [
    { command: 'AT+ZCDRUN=8', allowError: true },
    { command: 'AT+ZOPRT=5', allowError: true },
  ],
  iccidCommands: ['AT+ZGETICCID', 'AT+CCID', 'AT+ICCID', 'AT+CRSM=176,12258,0,0,10'],
  readyUrcs: [],
  noiseUrcs: [/^\+ZUSIMR:/, /^\+ZPASR:/, /^\+ZPAS:/, /^\+ZEND/, /^\+ZDONR:/, /^HANGUP:/, /^RING$/],
  storageFullUrcs: [],
  resetCommands: ['AT+CFUN=0', 'AT+CFUN=1'],
  storageIndexBase: 1,
  preferredStorage: 'SM',
};
