import type { AtCommander } from '../at/types.js';
import { type CmtiIndication, parseCmti } from './parsers/parse-cmti.js';
import { parseRegistration } from './parsers/parse-creg.js';
import { COMMON_RESET_URCS, type ModemProfile } from './profiles/profile.js';
import { PROFILES } from './profiles/select-profile.js';

/** What the driver does with each kind of unsolicited line. */
export interface UrcCallbacks {
  /** The profile in use, or null before identification. */
  profile(): ModemProfile | null;
  indication(indication: CmtiIndication): void;
  direct(lines: readonly string[]): void;
  /** A boot URC: the modem may have reset and forgotten its settings. */
  boot(line: string): void;
  /** `PB DONE` and its kin: the SIM finished loading, SMS commands may work now. */
  simReadyHint(line: string): void;
  storageFull(line: string): void;
  registration(registered: boolean): void;
}

const READY_URCS = PROFILES.flatMap((profile) => profile.readyUrcs);
/** Phonebook loaded (SIMCom `PB DONE`, Quectel `+QIND: PB DONE`): the SIM is done booting. */
const SIM_READY_HINTS: readonly RegExp[] = [/^PB DONE$/i, /^\+QIND: ?"?PB DONE"?$/i];
const FULL_URCS = PROFILES.flatMap((profile) => profile.storageFullUrcs);

const matchesAny = (patterns: readonly RegExp[], line: string): boolean =>
  patterns.some((re) => re.test(line));

/**
 * Registers the driver's URC handlers (STYLE.md §2 "route URCs by pattern"). Returns one
 * function that unregisters them all.
 */
export function registerUrcHandlers(at: AtCommander, callbacks: UrcCallbacks): () => void {
  const off = [
    at.addUrcHandler({
      name: 'cmti',
      match: (line) => line.startsWith('+CMTI:'),
      handle: ([line]) => {
        const indication = parseCmti(line ?? '');
        if (indication) callbacks.indication(indication);
      },
    }),
    at.addUrcHandler({
      name: 'cmt',
      match: (line) => line.startsWith('+CMT:'),
      extraLines: () => 1,
      handle: (lines) => callbacks.direct(lines),
    }),
    at.addUrcHandler({
      name: 'boot',
      match: (line) => matchesAny(COMMON_RESET_URCS, line.trim()) || matchesAny(READY_URCS, line.trim()),
      handle: ([line]) => callbacks.boot(line ?? ''),
    }),
    at.addUrcHandler({
      name: 'sim-ready-hint',
      match: (line) => matchesAny(SIM_READY_HINTS, line.trim()),
      handle: ([line]) => callbacks.simReadyHint(line ?? ''),
    }),
    at.addUrcHandler({
      name: 'storage-full',
      match: (line) => matchesAny(FULL_URCS, line.trim()),
      handle: ([line]) => callbacks.storageFull(line ?? ''),
    }),
    at.addUrcHandler({
      name: 'registration',
      match: (line) => /^\+C(E|G)?REG:/.test(line),
      handle: ([line]) => {
        const registration = parseRegistration(line ?? '', 'urc');
        if (registration) callbacks.registration(registration.registered);
      },
    }),
    at.addUrcHandler({
      // Vendor noise (Huawei ^RSSI/^BOOT/^DSFLOWRPT, ZTE +ZPASR, …): swallowed quietly.
      name: 'vendor-noise',
      match: (line) => {
        const profile = callbacks.profile();
        const patterns = profile ? profile.noiseUrcs : PROFILES.flatMap((p) => p.noiseUrcs);
        return matchesAny(patterns, line.trim());
      },
      handle: () => {},
    }),
    at.onUnhandledLine((line) => {
      // A `+CMS ERROR: 322` outside any command: memory full (TS 27.005 §3.2.5).
      if (/^\+CMS ERROR: ?322\b/.test(line.trim())) callbacks.storageFull(line);
    }),
  ];
  return () => {
    for (const unregister of off) unregister();
  };
}
