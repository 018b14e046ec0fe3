import { GatewayError, type GatewayErrorOptions } from '../../errors.js';

/**
 * Codes raised by the text-mode parsers (TS 27.005 §3 with `AT+CMGF=1`).
 *
 * - `SMS_TEXT_INVALID`: a `+CMGR`/`+CMGL` header or body that breaks TS 27.005 §3.4.2/§3.4.3
 *   (missing prefix, unterminated quote, bad index or status, UCS2 body that is not hex).
 * - `SMS_TEXT_UNSUPPORTED`: a well-formed entry of a kind read only in PDU mode (a status report).
 */
export type TextModeErrorCode = 'SMS_TEXT_INVALID' | 'SMS_TEXT_UNSUPPORTED';

/**
 * The only error the text-mode parsers throw. `offset` is the character offset in the line that
 * failed (header or joined body), so the raw reply kept by the caller can be inspected.
 */
export class TextModeError extends GatewayError {
  declare readonly code: TextModeErrorCode;
  readonly offset: number;

  constructor(code: TextModeErrorCode, message: string, offset: number, options: GatewayErrorOptions = {}) {
    super(code, `${message} (at character ${offset})`, {
      ...options,
      context: { ...options.context, offset },
    });
    this.offset = offset;
  }
}
