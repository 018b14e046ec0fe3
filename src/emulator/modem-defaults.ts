import type { DeliverSpec } from '../sms/encode-deliver.js';
import type { EmulatedSimIdentity } from './types.js';

/** Defaults of every `EmulatedModemOptions` knob. */
export const DEFAULT_MODEM_OPTIONS = {
  baudRate: 115_200,
  /** Full-speed USB bulk packets (see wire-pacer.ts). */
  packetBytes: 64,
  simCapacity: 30,
  meCapacity: 100,
  bootTimeScale: 1,
  bootOnStart: false,
  simBusyCommands: 0,
  replyDelayMs: 0,
  cnmaTimeoutMs: 5_000,
  noiseIntervalMs: 0,
  seed: 1,
} as const;

/** Identity of a modem created without one (farms generate theirs). */
export const DEFAULT_IDENTITY: EmulatedSimIdentity = {
  imei: '356938035643809',
  imsi: '250011234567890',
  iccid: '8970101123456789012',
  phoneNumber: '+79001234567',
  operator: 'EMU Mobile',
};

/** Service centre put into PDUs built by `injectSms` when the spec names none. */
export const DEFAULT_SMSC = '+79000000000';

/** `injectSms` input: the encoder's spec plus the arrival order of the parts. */
export interface InjectSmsSpec extends DeliverSpec {
  order?: 'in-order' | 'reversed' | 'shuffled';
}
