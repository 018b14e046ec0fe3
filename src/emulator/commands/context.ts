import type { AtRequest } from '../command-line.js';
import type { SmsStorage, StorageName } from '../sms-storage.js';
import type { SubscriberServices } from '../subscriber.js';
import type { EmulatedSimIdentity, ModemProfile, StoredMessage } from '../types.js';

/** Settings a reset puts back to their defaults (none of them is saved on real firmware). */
export interface ModemSettings {
  echo: boolean;
  /** +CMEE: 0 plain ERROR, 1 numeric, 2 verbose (TS 27.007 §9.1). */
  cmee: 0 | 1 | 2;
  /** +CMGF: 0 PDU, 1 text (TS 27.005 §3.2.3). */
  messageFormat: 0 | 1;
  charset: string;
  /** +CSDH: show header values in text mode (TS 27.005 §3.3.3). */
  showTextHeader: boolean;
  /** +CNMI <mode>,<mt>,<bm>,<ds>,<bfr> (TS 27.005 §3.4.1). */
  cnmi: [number, number, number, number, number];
  /** +CSMS service: 1 means +CMT needs +CNMA (TS 27.005 §3.2.1). */
  smsService: 0 | 1;
  /** +CPMS <mem1> (read/delete), <mem2> (write), <mem3> (receive). */
  storages: [StorageName, StorageName, StorageName];
  copsFormat: 0 | 1 | 2;
  /** +CREG/+CGREG/+CEREG <n>. */
  regUrc: { CREG: number; CGREG: number; CEREG: number };
}

export function defaultSettings(profile: ModemProfile): ModemSettings {
  return {
    echo: true,
    cmee: 0,
    messageFormat: 0,
    charset: 'GSM',
    showTextHeader: false,
    cnmi: [0, 0, 0, 0, 0],
    smsService: 0,
    storages: [profile.defaultStorage, profile.defaultStorage, profile.defaultStorage],
    copsFormat: 0,
    regUrc: { CREG: 0, CGREG: 0, CEREG: 0 },
  };
}

/** How a command ends (TS 27.007 §9.2 / TS 27.005 §3.2.5 for the error forms). */
export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'error' }
  | { kind: 'cme'; code: number }
  | { kind: 'cms'; code: number }
  /** A vendor's own final line, e.g. Huawei's `COMMAND NOT SUPPORT`. */
  | { kind: 'raw'; text: string };

export interface CommandOutcome {
  lines: string[];
  final: FinalResult;
  /** Runs after the final result is queued (resets, deliveries the answer unblocks). */
  after?: () => void;
}

/** What command handlers may see and do; implemented by the modem. */
export interface CommandContext {
  readonly profile: ModemProfile;
  readonly identity: EmulatedSimIdentity;
  readonly settings: ModemSettings;
  readonly storage: SmsStorage;
  /** What `AT+CNUM` and `AT+CUSD` answer (subscriber.ts). */
  readonly subscriber: SubscriberServices;
  /** Sends an unsolicited line (a `+CUSD` answer) now. */
  sendUrc(line: string): void;
  now(): number;
  /** PIN state: false while `+CPIN: SIM PIN` is pending. */
  pinUnlocked: boolean;
  readonly simPin: string | null;
  /** Radio state answered by +CSQ and +CREG. */
  signal: number;
  registered: boolean;
  functionality: number;
  /** Counts +CMGR answers, for vendors that drop the status field now and then. */
  readCount: number;
  reboot(reason: string): void;
  /** ATZ / AT&F: settings back to defaults without a reboot (V.250 §6.1.1). */
  resetSettings(): void;
  /** Acknowledges the pending direct delivery; false when none is pending (CMS 340). */
  acknowledgeDirect(): boolean;
  /** A message left storage: emit the event and let the network retry queued messages. */
  messageDeleted(name: StorageName, message: StoredMessage): void;
  /** Renders a stored message for text mode (TS 27.005 §3.4.3 / §4.1). */
  textModeHeader(message: StoredMessage, withIndex: number | null): { header: string; body: string };
}

export type CommandHandler = (request: AtRequest, context: CommandContext) => CommandOutcome;

export const ok = (...lines: string[]): CommandOutcome => ({ lines, final: { kind: 'ok' } });
export const error = (): CommandOutcome => ({ lines: [], final: { kind: 'error' } });
export const cmeError = (code: number): CommandOutcome => ({ lines: [], final: { kind: 'cme', code } });
export const cmsError = (code: number): CommandOutcome => ({ lines: [], final: { kind: 'cms', code } });

/** Parses an integer argument; null when absent or not a number. */
export function intArg(request: AtRequest, position: number): number | null {
  const value = request.args[position];
  if (value === undefined || value === '' || !/^\d+$/.test(value)) return null;
  return Number(value);
}

/** TS 27.005 §3.1 <stat> names for text mode. */
export const TEXT_STATUS = ['REC UNREAD', 'REC READ', 'STO UNSENT', 'STO SENT'] as const;
