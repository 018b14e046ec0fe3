import type { FinalResult } from './commands/context.js';

/** Verbose texts of the +CME codes the emulator uses (TS 27.007 §9.2.1). */
const CME_TEXT: Record<number, string> = {
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  13: 'SIM failure',
  14: 'SIM busy',
  16: 'incorrect password',
  30: 'no network service',
  100: 'unknown',
};

/**
 * The final result line (V.250 §5.7.1, TS 27.007 §9.2, TS 27.005 §3.2.5) for `+CMEE=<cmee>`:
 * 0 gives plain `ERROR` for both +CME and +CMS failures.
 */
export function formatFinalResult(final: FinalResult, cmee: 0 | 1 | 2): string {
  switch (final.kind) {
    case 'ok':
      return 'OK';
    case 'error':
      return 'ERROR';
    case 'raw':
      return final.text;
    case 'cme':
      if (cmee === 0) return 'ERROR';
      return cmee === 2 ? `+CME ERROR: ${CME_TEXT[final.code] ?? final.code}` : `+CME ERROR: ${final.code}`;
    case 'cms':
      return cmee === 0 ? 'ERROR' : `+CMS ERROR: ${final.code}`;
  }
}

/** Frames one response or URC line as V.250 §5.7.1 verbose mode does: `<CR><LF>text<CR><LF>`. */
export function frameLine(line: string, doubleCr = false): string {
  return `\r\n${line}${doubleCr ? '\r\r\n' : '\r\n'}`;
}
