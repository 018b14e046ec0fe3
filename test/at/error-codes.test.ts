import { describe, expect, it } from 'vitest';
import { isRetryableResult, lookupErrorCode, lookupErrorCodeByName } from '../../src/at/error-codes.js';
import type { FinalResult } from '../../src/at/types.js';

describe('CME/CMS error table', () => {
  const table: Array<[result: FinalResult, retryable: boolean]> = [
    [{ kind: 'cms', code: 314 }, true], // SIM busy right after boot
    [{ kind: 'cme', code: 14 }, true], // SIM busy
    [{ kind: 'cme', code: 515 }, true], // device busy
    [{ kind: 'cms', code: 515 }, true],
    [{ kind: 'cms', code: 322 }, false], // memory full: needs deleting first
    [{ kind: 'cms', code: 321 }, false], // invalid index
    [{ kind: 'cme', code: 10 }, false], // SIM not inserted
    [{ kind: 'cme', code: 11 }, false], // PIN required
    [{ kind: 'cme', code: 12 }, false], // PUK required
    [{ kind: 'cme', code: 13 }, false], // SIM failure
    [{ kind: 'cme', code: 9999 }, false], // unknown
    [{ kind: 'ok' }, false],
    [{ kind: 'error' }, false],
    [{ kind: 'vendor-error', text: 'COMMAND NOT SUPPORT' }, false],
  ];
  for (const [result, retryable] of table) {
    it(`${JSON.stringify(result)} retryable=${retryable}`, () => {
      expect(isRetryableResult(result)).toBe(retryable);
    });
  }

  it('names codes and maps text forms back to numbers', () => {
    expect(lookupErrorCode('cms', 322)?.name).toBe('memory full');
    expect(lookupErrorCode('cme', 11)?.name).toBe('SIM PIN required');
    expect(lookupErrorCodeByName('cms', 'sim busy')).toBe(314);
    expect(lookupErrorCodeByName('cme', 'SIM busy')).toBe(14);
    expect(lookupErrorCodeByName('cme', 'nonsense')).toBeUndefined();
  });
});
