import type { FinalResult } from '../../at/types.js';
import type { ModemVendor } from '../types.js';

/** Decides, from a failed step's final result, whether to try the step again later. */
export type RetryPredicate = (final: FinalResult) => boolean;

/** One command of an init sequence (ModemManager `init-sequence` style). */
export interface InitStep {
  command: string;
  /** Go on when the modem refuses it (vendor commands that not every firmware knows). */
  allowError?: boolean;
  /** Retry with back-off while this says the failure is transient (SIM busy). */
  retryOn?: RetryPredicate;
}

/** What the driver must know about one modem family; only what quirks.md documents. */
export interface ModemProfile {
  vendor: ModemVendor;
  /** True when `+CGMI`/`+CGMM` name a device of this family. */
  matches(manufacturer: string, model: string): boolean;
  /** Vendor commands after the SIM is ready and before SMS setup. */
  initSteps: readonly InitStep[];
  /** Commands that print the ICCID, tried in order until one answers. */
  iccidCommands: readonly string[];
  /** URCs that announce "SMS subsystem ready"; seen while ready they mean a silent reset. */
  readyUrcs: readonly RegExp[];
  /** Periodic vendor URCs to swallow quietly. */
  noiseUrcs: readonly RegExp[];
  /** URCs that announce a full message storage (new SMS are held back by the network). */
  storageFullUrcs: readonly RegExp[];
  /** Commands of a vendor reset; empty when a reset would do more harm than good. */
  resetCommands: readonly string[];
  /** Lowest storage index the firmware uses (documented; the driver never walks indexes). */
  storageIndexBase: 0 | 1;
  /** Preferred message storage, when `AT+CPMS=?` offers it. */
  preferredStorage: 'SM' | 'ME' | 'MT';
}

/** True for `+CMS ERROR: 314` / `+CME ERROR: 14` (SIM busy, TS 27.005 §3.2.5 / 27.007 §9.2). */
export const isSimBusy: RetryPredicate = (final) =>
  (final.kind === 'cms' && final.code === 314) ||
  (final.kind === 'cme' && (final.code === 14 || final.code === 515));

/** Boot URCs every family may print after a reset (quirks.md §0). */
export const COMMON_RESET_URCS: readonly RegExp[] = [/^RDY$/, /^\+CFUN: ?1$/, /^\+CPIN: ?READY$/];
