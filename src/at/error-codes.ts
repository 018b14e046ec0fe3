import type { FinalResult } from './types.js';

/**
 * Numbered `+CME ERROR` (TS 27.007 §9.2.1) and `+CMS ERROR` (TS 27.005 §3.2.5) results, each
 * with a name and a retry decision. Retry logic reads this table instead of matching strings.
 *
 * `retryable: true` means the same command can succeed later without operator action (SIM or
 * device still booting, network momentarily gone). SIM absent/locked, bad index or full memory
 * need something else to happen first, so they are not retryable.
 */
export interface AtErrorInfo {
  kind: 'cme' | 'cms';
  code: number;
  /** The spec's wording, also what `AT+CMEE=2` prints. */
  name: string;
  retryable: boolean;
}

type Row = readonly [code: number, name: string, retryable: boolean];

const CME_ROWS: readonly Row[] = [
  [0, 'phone failure', false],
  [3, 'operation not allowed', false],
  [4, 'operation not supported', false],
  [10, 'SIM not inserted', false],
  [11, 'SIM PIN required', false],
  [12, 'SIM PUK required', false],
  [13, 'SIM failure', false],
  [14, 'SIM busy', true],
  [15, 'SIM wrong', false],
  [16, 'incorrect password', false],
  [17, 'SIM PIN2 required', false],
  [18, 'SIM PUK2 required', false],
  [20, 'memory full', false],
  [21, 'invalid index', false],
  [22, 'not found', false],
  [23, 'memory failure', false],
  [30, 'no network service', true],
  [31, 'network timeout', true],
  [100, 'unknown', false],
  // Manufacturer range (≥ 512). 515: "please wait, init or command processing in progress".
  [515, 'device busy', true],
];

const CMS_ROWS: readonly Row[] = [
  [300, 'ME failure', false],
  [301, 'SMS service of ME reserved', false],
  [302, 'operation not allowed', false],
  [303, 'operation not supported', false],
  [304, 'invalid PDU mode parameter', false],
  [305, 'invalid text mode parameter', false],
  [310, 'SIM not inserted', false],
  [311, 'SIM PIN required', false],
  [312, 'PH-SIM PIN required', false],
  [313, 'SIM failure', false],
  [314, 'SIM busy', true],
  [315, 'SIM wrong', false],
  [316, 'SIM PUK required', false],
  [317, 'SIM PIN2 required', false],
  [318, 'SIM PUK2 required', false],
  [320, 'memory failure', false],
  [321, 'invalid memory index', false],
  [322, 'memory full', false],
  [330, 'SMSC address unknown', false],
  [331, 'no network service', true],
  [332, 'network timeout', true],
  [340, 'no +CNMA acknowledgement expected', false],
  [500, 'unknown error', false],
  // smstools FAQ: 512 on several vendors usually means weak signal; worth another try.
  [512, 'manufacturer specific (often weak signal)', true],
  [515, 'device busy', true],
];

function toMap(kind: 'cme' | 'cms', rows: readonly Row[]): ReadonlyMap<number, AtErrorInfo> {
  return new Map(rows.map(([code, name, retryable]) => [code, { kind, code, name, retryable }]));
}

const CME = toMap('cme', CME_ROWS);
const CMS = toMap('cms', CMS_ROWS);

/** Looks up a numbered `+CME`/`+CMS` error; undefined when the table does not know it. */
export function lookupErrorCode(kind: 'cme' | 'cms', code: number): AtErrorInfo | undefined {
  return (kind === 'cme' ? CME : CMS).get(code);
}

/** Maps a text-form error (`+CME ERROR: SIM busy`) back to its number, ignoring case. */
export function lookupErrorCodeByName(kind: 'cme' | 'cms', name: string): number | undefined {
  const wanted = name.trim().toLowerCase();
  for (const info of (kind === 'cme' ? CME : CMS).values()) {
    if (info.name.toLowerCase() === wanted) return info.code;
  }
  return undefined;
}

/**
 * Whether a failed final result is worth retrying unchanged. Only table entries marked
 * retryable say yes; `OK`, plain `ERROR`, vendor errors and unknown codes say no.
 */
export function isRetryableResult(result: FinalResult): boolean {
  if (result.kind !== 'cme' && result.kind !== 'cms') return false;
  return lookupErrorCode(result.kind, result.code)?.retryable ?? false;
}
