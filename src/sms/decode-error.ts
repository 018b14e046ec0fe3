import { GatewayError, type GatewayErrorOptions } from '../errors.js';

/**
 * Codes raised by the PDU decoders.
 *
 * - `SMS_PDU_INVALID_HEX`: the input is not an even-length string of hex digits.
 * - `SMS_PDU_TRUNCATED`: a field needs more octets than the PDU holds.
 * - `SMS_PDU_INVALID`: a field breaks TS 23.040 / TS 23.038 (bad BCD, malformed UDH, TP-UDL too
 *   large, odd UCS-2 length, unexpected trailing octets, ...).
 * - `SMS_PDU_UNSUPPORTED`: valid but not decodable here (compressed text, TS 23.038 §4).
 * - `SMS_PDU_NOT_DELIVER`: a valid TPDU of another type given where an SMS-DELIVER is required.
 */
export type SmsDecodeErrorCode =
  | 'SMS_PDU_INVALID_HEX'
  | 'SMS_PDU_TRUNCATED'
  | 'SMS_PDU_INVALID'
  | 'SMS_PDU_UNSUPPORTED'
  | 'SMS_PDU_NOT_DELIVER';

/**
 * The only error the PDU decoders throw. `offset` is the byte offset in the PDU (SMSC field
 * included when present) where decoding failed, so a stored raw PDU can be inspected later.
 */
export class SmsDecodeError extends GatewayError {
  declare readonly code: SmsDecodeErrorCode;
  /** Byte offset in the PDU where decoding failed (0-based, SMSC field included). */
  readonly offset: number;

  constructor(code: SmsDecodeErrorCode, message: string, offset: number, options: GatewayErrorOptions = {}) {
    super(code, `${message} (at byte ${offset})`, {
      ...options,
      context: { ...options.context, offset },
    });
    this.offset = offset;
  }
}

/** True when `err` is an {@link SmsDecodeError} (checked by class). */
export function isSmsDecodeError(err: unknown): err is SmsDecodeError {
  return err instanceof SmsDecodeError;
}
