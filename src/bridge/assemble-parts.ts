import type { DecodedPdu } from '../sms/types.js';
import type { StoredPart } from '../store/repository.js';

/**
 * Joins the parts of a concatenated SMS (TS 23.040 §9.2.3.24.1) in sequence order.
 *
 * Each part is decoded again from its raw PDU rather than taken from the stored text: a UCS-2
 * character outside the BMP (an emoji) may be split between two parts as a surrogate pair, and
 * each half alone is a lone surrogate that the database's UTF-8 text cannot hold (it becomes
 * U+FFFD). Decoded here, the halves are still UTF-16 code units and join into the character.
 * A part whose PDU no longer decodes (or that has none) contributes its stored text.
 */
export function assembleParts(parts: readonly StoredPart[], decode: (hex: string) => DecodedPdu): string {
  let text = '';
  for (const part of parts) text += partText(part, decode);
  return text;
}

function partText(part: StoredPart, decode: (hex: string) => DecodedPdu): string {
  if (part.rawPdu !== null) {
    try {
      const decoded = decode(part.rawPdu);
      if (decoded.type === 'deliver') return decoded.text;
    } catch {
      // Stored parts decoded once already; if the codec changed its mind, the stored text stands.
    }
  }
  return part.text ?? '';
}
