import type { Logger } from '../log.js';
import type { SubscriberOptions } from './subscriber.js';

/**
 * Shapes shared by the modem emulator: profiles (vendor behaviour), options and events.
 * The emulator stands in for a USB GSM modem speaking TS 27.007 / TS 27.005 over a serial line.
 */

/** Names of the built-in vendor profiles (see `profiles.ts`). */
export type ModemProfileName =
  | 'generic'
  | 'huawei-e3372'
  | 'zte-mf190'
  | 'simcom-sim800'
  | 'simcom-sim7600'
  | 'quectel-ec25';

/** One unsolicited line sent while the modem boots, `afterMs` from power-on (scaled by `bootTimeScale`). */
export interface BootUrc {
  line: string;
  afterMs: number;
}

/** How a vendor family behaves where the specs leave room (quirks.md §1-§4). */
export interface ModemProfile {
  name: ModemProfileName;
  manufacturer: string;
  model: string;
  revision: string;
  /** Storage index of the first slot: 0 on Huawei (gammu SMS_LOCATION_0), 1 elsewhere. */
  firstIndex: 0 | 1;
  /** Answer to an unknown command: `ERROR`, or Huawei's `COMMAND NOT SUPPORT`. */
  unknownCommandReply: string;
  /** Which command reads the ICCID, and the prefix of its answer. */
  iccidCommand: '+CCID' | '+ICCID' | '^ICCID' | '+QCCID';
  iccidPrefix: string;
  /** Answer lines of `AT+CNMI=?` (TS 27.005 §3.4.1). */
  cnmiCapability: string;
  /** Lines sent on power-on/reset, in order. The last one marks "SMS ready". */
  bootUrcs: readonly BootUrc[];
  /** SMS commands answer `+CMS ERROR: 314` until the last boot URC (SIMCom SIM800, Quectel). */
  smsBusyUntilBooted: boolean;
  /** Periodic vendor noise lines used by `urcStorm()` and `noiseIntervalMs`. */
  noiseUrcs: readonly string[];
  /** Huawei: some lines end `\r\r\n`; every Nth answer line gets the extra CR. 0 = never. */
  doubleCrEvery: number;
  /** Huawei: storage full is announced with `^SMMEMFULL: "SM"` instead of silence. */
  memFullUrc: string | null;
  /** ZTE: `+CMGR` answers sometimes omit the status field; every Nth read. 0 = never. */
  cmgrWithoutStatusEvery: number;
  /** Vendor commands that simply answer OK (AT^CURC, AT+ZCDRUN, ...), upper case with prefix. */
  vendorOkCommands: readonly string[];
  /** Default preferred storage of received messages. */
  defaultStorage: 'SM' | 'ME';
}

/** SIM identity and subscriber data of one emulated modem. */
export interface EmulatedSimIdentity {
  imei: string;
  imsi: string;
  iccid: string;
  /** Own number in international format, e.g. `+79001234567`. */
  phoneNumber: string;
  operator: string;
}

/** Knobs of an `EmulatedModem`. Every timing is an option; defaults are in `DEFAULT_MODEM_OPTIONS`. */
export interface EmulatedModemOptions {
  /** Name for logs, e.g. `modem-03`. */
  name?: string;
  logger?: Logger;
  profile?: ModemProfileName | ModemProfile;
  identity?: Partial<EmulatedSimIdentity>;
  /** `AT+CNUM` and USSD answers (subscriber.ts); defaults: number stored, MTS-like codes. */
  subscriber?: Partial<SubscriberOptions>;
  /** Serial line speed in bit/s (10 bits per byte on the wire). 0 = unlimited (unit tests). */
  baudRate?: number;
  /**
   * Most bytes one read of the host gets: the modem's output reaches the host in packets of
   * this size, each once its last byte has crossed the line (default 64, a full-speed USB bulk
   * packet; 1 = the byte stream of a bare UART).
   */
  packetBytes?: number;
  /** Capacity of the "SM" (SIM) storage. */
  simCapacity?: number;
  /** Capacity of the "ME" (phone memory) storage. */
  meCapacity?: number;
  /** Multiplies the profile's boot URC delays; 0 = all boot URCs at once (fast tests). */
  bootTimeScale?: number;
  /** Emit the boot URCs when the modem is created (like a modem plugged in just now). */
  bootOnStart?: boolean;
  /** Answers `+CPIN: SIM PIN` until `AT+CPIN="<pin>"` is sent with this PIN. */
  simPin?: string | null;
  /** SIM busy (CMS 314 / CME 14) for this many commands after each boot. */
  simBusyCommands?: number;
  /** Delay added before each answer, in ms. */
  replyDelayMs?: number;
  /** Direct delivery (+CMT) with AT+CSMS=1 waits this long for +CNMA (TS 27.005 §3.4.4). */
  cnmaTimeoutMs?: number;
  /** Vendor noise URC period in ms; 0 = none. */
  noiseIntervalMs?: number;
  /** Seed of the pseudo-random generator used for garbage bytes and shuffled parts. */
  seed?: number;
  /** Clock in epoch ms (fractional allowed). */
  now?: () => number;
}

/** A message held in the modem's storage. */
export interface StoredMessage {
  storage: 'SM' | 'ME';
  /** Index as the modem prints it (`+CMTI`, `+CMGL`), i.e. including the profile's first index. */
  index: number;
  /** PDU hex with the SMSC field, as `+CMGR` prints it in PDU mode. */
  pdu: string;
  /** TS 27.005 §3.1 <stat>: 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
  status: 0 | 1 | 2 | 3;
  storedAtMs: number;
}

/** Events of an `EmulatedModem`; every `atMs` is the clock's epoch ms. */
export interface EmulatedModemEvents {
  /** Bytes put on the line towards the host (after line pacing). */
  output: [bytes: Uint8Array];
  /** A `+CMTI` URC started on the line: `atMs` is the time of its first byte. */
  cmtiSent: [info: { storage: string; index: number; atMs: number }];
  /** A `+CMT` URC (direct delivery) started on the line. */
  cmtSent: [info: { pdu: string; atMs: number }];
  /** A message was stored (with or without +CMTI). */
  stored: [message: StoredMessage];
  /** `AT+CMGD` removed a message. */
  deleted: [info: { storage: string; index: number; pdu: string; atMs: number }];
  /** `AT+CNMA` acknowledged a direct delivery. */
  acked: [info: { pdu: string; atMs: number }];
  /** A complete command line was received from the host (after its wire time). */
  command: [line: string];
  /** The modem (re)booted: reset, CFUN=1,1, silent reset or replug. */
  reboot: [info: { reason: string; atMs: number }];
  /** The port vanished (USB unplug); transports close the host side. */
  unplugged: [];
  /** The port came back, possibly on a new path chosen by the transport. */
  replugged: [];
}
