import { GatewayError } from '../errors.js';
import type { ModemProfile, ModemProfileName } from './types.js';

/**
 * Built-in vendor behaviours, from the quirks catalogue (shared/modems/quirks.md §1-§4).
 * Identification strings are what +CGMI/+CGMM/+CGMR answer on the real devices.
 */

const GENERIC_CNMI_CAPABILITY = '+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)';

const generic: ModemProfile = {
  name: 'generic',
  manufacturer: 'SIMBRIDGE',
  model: 'EMU-GSM',
  revision: 'EMU 1.0',
  firstIndex: 1,
  unknownCommandReply: 'ERROR',
  iccidCommand: '+CCID',
  iccidPrefix: '+CCID: ',
  cnmiCapability: GENERIC_CNMI_CAPABILITY,
  bootUrcs: [],
  smsBusyUntilBooted: false,
  noiseUrcs: ['+CREG: 1', '+CSQ: 20,99'],
  doubleCrEvery: 0,
  memFullUrc: null,
  cmgrWithoutStatusEvery: 0,
  vendorOkCommands: [],
  defaultStorage: 'SM',
};

const huaweiE3372: ModemProfile = {
  name: 'huawei-e3372',
  manufacturer: 'huawei',
  model: 'E3372',
  revision: '22.315.01.00.00',
  firstIndex: 0,
  unknownCommandReply: 'COMMAND NOT SUPPORT',
  iccidCommand: '^ICCID',
  iccidPrefix: '^ICCID: ',
  cnmiCapability: '+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)',
  bootUrcs: [{ line: '^BOOT:20952796,0,0,0,75', afterMs: 100 }],
  smsBusyUntilBooted: false,
  noiseUrcs: [
    '^RSSI:18',
    '^HCSQ:"LTE",52,44,125,27',
    '^DSFLOWRPT:00000002,00000000,00000000,0000000000000000,0000000000000000,00000000,00000000',
    '^BOOT:20952796,0,0,0,75',
  ],
  doubleCrEvery: 3,
  memFullUrc: '^SMMEMFULL: "SM"',
  cmgrWithoutStatusEvery: 0,
  vendorOkCommands: ['^CURC', '^PORTSEL', '^SYSCFG', '^SYSCFGEX', '^U2DIAG', '^SETPORT'],
  defaultStorage: 'SM',
};

const zteMf190: ModemProfile = {
  name: 'zte-mf190',
  manufacturer: 'ZTE INCORPORATED',
  model: 'MF190',
  revision: 'BD_MF190V1.0.0B01',
  firstIndex: 1,
  unknownCommandReply: 'ERROR',
  iccidCommand: '+ICCID',
  iccidPrefix: '+ICCID: ',
  cnmiCapability: '+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)',
  bootUrcs: [
    { line: '+ZUSIMR:2', afterMs: 100 },
    { line: '+ZPASR: "GSM"', afterMs: 200 },
  ],
  smsBusyUntilBooted: false,
  noiseUrcs: ['+ZPASR: "UMTS"', '+ZUSIMR:2', '+ZPASR: "GSM"'],
  doubleCrEvery: 0,
  memFullUrc: null,
  cmgrWithoutStatusEvery: 2,
  vendorOkCommands: ['+ZCDRUN', '+ZOPRT', '+ZSNT', '+ZPAS'],
  defaultStorage: 'SM',
};

const simcomSim800: ModemProfile = {
  name: 'simcom-sim800',
  manufacturer: 'SIMCOM_Ltd',
  model: 'SIMCOM_SIM800L',
  revision: 'Revision:1418B04SIM800L24',
  firstIndex: 1,
  unknownCommandReply: 'ERROR',
  iccidCommand: '+CCID',
  iccidPrefix: '',
  cnmiCapability: '+CNMI: (0-3),(0-3),(0,2),(0,1),(0,1)',
  bootUrcs: [
    { line: 'RDY', afterMs: 0 },
    { line: '+CFUN: 1', afterMs: 100 },
    { line: '+CPIN: READY', afterMs: 300 },
    { line: 'Call Ready', afterMs: 1500 },
    { line: 'SMS Ready', afterMs: 2000 },
  ],
  smsBusyUntilBooted: true,
  noiseUrcs: ['+CSQN: 18,0', '+CREG: 1'],
  doubleCrEvery: 0,
  memFullUrc: null,
  cmgrWithoutStatusEvery: 0,
  vendorOkCommands: ['+CSCLK', '+CLTS', '+IPR'],
  defaultStorage: 'SM',
};

const simcomSim7600: ModemProfile = {
  name: 'simcom-sim7600',
  manufacturer: 'SIMCOM INCORPORATED',
  model: 'SIMCOM_SIM7600E-H',
  revision: 'LE20B04SIM7600M22',
  firstIndex: 0,
  unknownCommandReply: 'ERROR',
  iccidCommand: '+ICCID',
  iccidPrefix: '+ICCID: ',
  cnmiCapability: '+CNMI: (0-2),(0-3),(0,2),(0-2),(0-1)',
  bootUrcs: [
    { line: 'RDY', afterMs: 0 },
    { line: '+CPIN: READY', afterMs: 500 },
    { line: 'SMS DONE', afterMs: 1500 },
    { line: 'PB DONE', afterMs: 2500 },
  ],
  smsBusyUntilBooted: true,
  noiseUrcs: ['+CREG: 1', '+CGEV: EPS PDN ACT 1'],
  doubleCrEvery: 0,
  memFullUrc: null,
  cmgrWithoutStatusEvery: 0,
  vendorOkCommands: ['+CATR', '+CUSBPIDSWITCH', '+CNMP'],
  defaultStorage: 'SM',
};

const quectelEc25: ModemProfile = {
  name: 'quectel-ec25',
  manufacturer: 'Quectel',
  model: 'EC25',
  revision: 'EC25EFAR06A06M4G',
  firstIndex: 0,
  unknownCommandReply: 'ERROR',
  iccidCommand: '+QCCID',
  iccidPrefix: '+QCCID: ',
  cnmiCapability: '+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)',
  bootUrcs: [
    { line: 'RDY', afterMs: 0 },
    { line: '+CFUN: 1', afterMs: 200 },
    { line: '+CPIN: READY', afterMs: 400 },
    { line: '+QUSIM: 1', afterMs: 500 },
    { line: '+QIND: PB DONE', afterMs: 1500 },
    { line: '+QIND: SMS DONE', afterMs: 1800 },
  ],
  smsBusyUntilBooted: true,
  noiseUrcs: ['+QIND: "csq",20,99', '+CREG: 1'],
  doubleCrEvery: 0,
  memFullUrc: null,
  cmgrWithoutStatusEvery: 0,
  vendorOkCommands: ['+QURCCFG', '+QCFG', '+QINDCFG', '+QSCLK'],
  defaultStorage: 'SM',
};

export const MODEM_PROFILES: Readonly<Record<ModemProfileName, ModemProfile>> = {
  generic,
  'huawei-e3372': huaweiE3372,
  'zte-mf190': zteMf190,
  'simcom-sim800': simcomSim800,
  'simcom-sim7600': simcomSim7600,
  'quectel-ec25': quectelEc25,
};

export const MODEM_PROFILE_NAMES = Object.keys(MODEM_PROFILES) as ModemProfileName[];

/** Looks a profile up by name; unknown names raise `EMU_UNKNOWN_PROFILE`. */
export function getModemProfile(name: string): ModemProfile {
  const profile = (MODEM_PROFILES as Record<string, ModemProfile | undefined>)[name];
  if (!profile) {
    throw new GatewayError('EMU_UNKNOWN_PROFILE', `unknown modem profile "${name}"`, {
      context: { name, known: MODEM_PROFILE_NAMES },
    });
  }
  return profile;
}
