import type { DecodedPdu, SmsDeliver } from '../sms/types.js';
import type { StoredPart } from '../store/repository.js';
import { gsm7TextSeptets, joinSplitEscape } from './gsm7-escape-join.js';

export interface AssembleOptions {
  decode: (hex: string) => DecodedPdu;
  /** Stored PDUs start with the SMSC field. */
  hasSmsc: boolean;
}

interface PartText {
  text: string;
  /** Set for a GSM 7-bit default-alphabet part decoded from its PDU. */
  gsm7Pdu: string | null;
}

/**
 * Joins the parts of a concatenated SMS (TS 23.040 §9.2.3.24.1) in sequence order.
 *
 * - Each part is decoded again from its raw PDU rather than taken from the stored text: a UCS-2
 *   character outside the BMP (an emoji) may be split between two parts as a surrogate pair,
 *   and each half alone is a lone surrogate that the database's UTF-8 text cannot hold (it
 *   becomes U+FFFD). Decoded here, the halves are still UTF-16 code units and join into the
 *   character.
 * - A GSM 7-bit escape (0x1B) ending one part and its partner starting the next are joined into
 *   the extension character (see gsm7-escape-join.ts).
 * - A part whose PDU no longer decodes (or that has none) contributes its stored text.
 */
export function assembleParts(parts: readonly StoredPart[], options: AssembleOptions): string {
  const texts = parts.map((part) => partText(part, options.decode));
  for (let i = 0; i + 1 < texts.length; i += 1) {
    const before = texts[i];
    const after = texts[i + 1];
    if (!before?.gsm7Pdu || !after?.gsm7Pdu) continue;
    const beforeSeptets = gsm7TextSeptets(before.gsm7Pdu, options.hasSmsc);
    const afterSeptets = gsm7TextSeptets(after.gsm7Pdu, options.hasSmsc);
    if (!beforeSeptets || !afterSeptets) continue;
    const repaired = joinSplitEscape(
      { text: before.text, septets: beforeSeptets },
      { text: after.text, septets: afterSeptets },
    );
    if (!repaired) continue;
    before.text = repaired.before;
    after.text = repaired.after;
  }
  return texts.map((t) => t.text).join('');
}

function partText(part: StoredPart, decode: (hex: string) => DecodedPdu): PartText {
  if (part.rawPdu !== null) {
    try {
      const decoded = decode(part.rawPdu);
      if (decoded.type === 'deliver') {
        return { text: decoded.text, gsm7Pdu: isDefaultGsm7(decoded) ? part.rawPdu : null };
      }
    } catch {
      // Stored parts decoded once already; if the codec changed its mind, the stored text stands.
    }
  }
  return { text: part.text ?? '', gsm7Pdu: null };
}

/** National shift tables change what an escape means, so only the default alphabet is repaired. */
function isDefaultGsm7(decoded: SmsDeliver): boolean {
  return (
    decoded.encoding === 'gsm7' && decoded.lockingShiftLanguage === 0 && decoded.singleShiftLanguage === 0
  );
}
