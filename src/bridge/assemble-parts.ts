import { deliverTextSeptets, type JoinablePart, joinParts } from '../sms/reassembler.js';
import type { DecodedPdu } from '../sms/types.js';
import type { StoredPart } from '../store/repository.js';

export interface AssembleOptions {
  decode: (hex: string) => DecodedPdu;
  /** Stored PDUs start with the SMSC field. */
  hasSmsc: boolean;
}

/**
 * Joins the parts of a concatenated SMS (TS 23.040 §9.2.3.24.1) in sequence order, with the
 * codec's `joinParts`.
 *
 * - Each part is decoded again from its raw PDU rather than taken from the stored text: a UCS-2
 *   character outside the BMP (an emoji) may be split between two parts as a surrogate pair,
 *   and each half alone is a lone surrogate that the database's UTF-8 text cannot hold (it
 *   becomes U+FFFD). Decoded here, the halves are still UTF-16 code units and join into the
 *   character.
 * - A GSM 7-bit part carries its septets, so an escape (0x1B) ending one part and its partner
 *   starting the next join into the extension character (TS 23.038 §6.2.1.1).
 * - A part whose PDU no longer decodes (or that has none) contributes its stored text.
 */
export function assembleParts(parts: readonly StoredPart[], options: AssembleOptions): string {
  return joinParts(parts.map((part) => joinablePart(part, options)));
}

function joinablePart(part: StoredPart, options: AssembleOptions): JoinablePart {
  if (part.rawPdu !== null) {
    try {
      const decoded = options.decode(part.rawPdu);
      if (decoded.type === 'deliver') {
        if (decoded.encoding !== 'gsm7') return { sequence: part.sequence, text: decoded.text };
        return {
          sequence: part.sequence,
          text: decoded.text,
          septets: deliverTextSeptets(part.rawPdu, options.hasSmsc),
          lockingShiftLanguage: decoded.lockingShiftLanguage,
          singleShiftLanguage: decoded.singleShiftLanguage,
        };
      }
    } catch {
      // Stored parts decoded once already; if the codec changed its mind, the stored text stands.
    }
  }
  return { sequence: part.sequence, text: part.text ?? '' };
}
