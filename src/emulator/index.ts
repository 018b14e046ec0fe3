/**
 * Modem emulator: an `EmulatedModem` (TS 27.007 / 27.005 over a paced serial line, vendor
 * profiles, faults), reachable over a real pty (`PtyModemPort`, `EmulatedFarm`) or in-process
 * (`createMockModemPort`). Used by tests, `simbridge demo` and the benchmark.
 */
export { liveChildCount } from './child-registry.js';
export { type EmulatorCommandControl, runEmulatorCommand } from './cli.js';
export { EmulatedFarm, type EmulatedFarmOptions, type FarmModemInfo } from './farm.js';
export { generateIdentity } from './identity.js';
export { createMockModemPort, type MockModemPort, type MockModemPortOptions } from './mock-port.js';
export type { InjectSmsSpec } from './modem.js';
export { DEFAULT_MODEM_OPTIONS, EmulatedModem } from './modem.js';
export { getModemProfile, MODEM_PROFILE_NAMES, MODEM_PROFILES } from './profiles.js';
export { DEFAULT_PTY_OPTIONS, PtyModemPort, type PtyModemPortOptions } from './pty-port.js';
export {
  DEFAULT_BALANCE_USSD,
  DEFAULT_NUMBER_USSD,
  type SubscriberOptions,
  SubscriberServices,
  type UssdBehaviour,
} from './subscriber.js';
export type {
  EmulatedModemEvents,
  EmulatedModemOptions,
  EmulatedSimIdentity,
  ModemProfile,
  ModemProfileName,
  StoredMessage,
} from './types.js';
export { wireTimeMs } from './wire-pacer.js';
