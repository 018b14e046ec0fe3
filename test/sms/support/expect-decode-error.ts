import { expect } from 'vitest';
import { SmsDecodeError, type SmsDecodeErrorCode } from '../../../src/sms/index.js';

/** Asserts that `run` throws an SmsDecodeError with `code` (and `offset` when given). */
export function expectDecodeError(
  run: () => unknown,
  code: SmsDecodeErrorCode,
  offset?: number,
): SmsDecodeError {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected ${code}`).toBeInstanceOf(SmsDecodeError);
  const error = thrown as SmsDecodeError;
  expect(error.code).toBe(code);
  expect(error.message).toContain(`[${code}]`);
  if (offset !== undefined) expect(error.offset).toBe(offset);
  return error;
}
