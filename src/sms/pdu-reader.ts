import { SmsDecodeError } from './decode-error.js';

/**
 * A forward-only cursor over the octets of one PDU. Every read checks the bounds and throws a
 * typed {@link SmsDecodeError} naming the field and its offset, so the field decoders never
 * index past the end (a `RangeError` or `undefined` octet would be a bug).
 */
export class PduReader {
  readonly #bytes: Uint8Array;
  #offset: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.#bytes = bytes;
    this.#offset = offset;
  }

  /** The whole PDU this reader walks over. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** Offset of the next octet to read. */
  get offset(): number {
    return this.#offset;
  }

  /** Octets left after the cursor. */
  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  /** Reads one octet for `field` (named in the error when the PDU ends here). */
  readOctet(field: string): number {
    const value = this.#bytes[this.#offset];
    if (value === undefined) throw this.truncated(field, 1);
    this.#offset += 1;
    return value;
  }

  /** Checks that `count` octets remain for `field`, then returns their start offset and skips them. */
  take(count: number, field: string): number {
    if (count > this.remaining) throw this.truncated(field, count);
    const start = this.#offset;
    this.#offset += count;
    return start;
  }

  /** Builds the error for a field that needs `count` octets when fewer remain. */
  truncated(field: string, count: number): SmsDecodeError {
    return new SmsDecodeError(
      'SMS_PDU_TRUNCATED',
      `${field} needs ${count} octet(s) but ${this.remaining} remain`,
      this.#offset,
    );
  }

  /** Builds an `SMS_PDU_INVALID` error at `offset` (default: the cursor). */
  invalid(message: string, offset = this.#offset): SmsDecodeError {
    return new SmsDecodeError('SMS_PDU_INVALID', message, offset);
  }
}
