/**
 * Modem layer (layer 4): drivers for USB GSM modems over AT commands and the manager that
 * finds them. Receives every SMS and deletes it from the modem only after the sink's ack.
 */
export type { ModemDriverEvents, ModemDriverOptions, ModemHistory } from './driver-types.js';
export { readDeviceIdentity, readIccid, readImsi } from './identity.js';
export { type InitResult, initializeModem } from './init.js';
export { BASE_STEPS, runStep, runSteps, waitForSim } from './init-sequence.js';
export { type DriverState, type LifecycleEvent, recoveryAction, transition } from './lifecycle.js';
export { ModemDriver } from './modem-driver.js';
export { ModemManager, type ModemManagerEvents, type ModemManagerOptions } from './modem-manager.js';
export { DEFAULT_MODEM_TIMINGS, type ModemTimings, resolveTimings } from './options.js';
export { expandPortPatterns } from './port-glob.js';
export type { InitStep, ModemProfile } from './profiles/profile.js';
export { PROFILES, selectProfile } from './profiles/select-profile.js';
export { readRadioStatus } from './radio.js';
export type { SweepReport } from './receive.js';
export { readStorageFill, type SmsSettings } from './sms-setup.js';
export type * from './types.js';
