/**
 * Minimal SMS-SUBMIT encoder (TS 23.040 §9.2.2.2), so the modem emulator can hold the outgoing
 * messages a real SIM also stores.
 */
import { dataCodingScheme } from './encode-deliver.js';
import { checkOctet, encodeSmsc, encodeTpAddress, type PlainNumberType } from './encode-fields.js';
import { bytesToHexUpper } from './encode-hex.js';
import { type EncodingChoice, encodeUserData } from './encode-user-data.js';

export interface SubmitSpec {
  recipient: string;
  text: string;
  encoding?: EncodingChoice;
  /** TP-MR. Default 0. */
  messageReference?: number;
  smsc?: string | null;
  /** Concatenation reference when the text needs several parts. Default 0. */
  reference?: number;
  referenceBits?: 8 | 16;
  recipientType?: PlainNumberType;
}

/**
 * Encodes an SMS-SUBMIT without validity period (TP-VPF 00) as one hex PDU per part, SMSC field
 * first; TP-MR grows by one per part, as a phone sending them would do.
 */
export function encodeSmsSubmit(spec: SubmitSpec): string[] {
  const userData = encodeUserData(spec.text, {
    encoding: spec.encoding ?? 'auto',
    reference: spec.reference ?? 0,
    referenceBits: spec.referenceBits ?? 8,
  });
  const smsc = encodeSmsc(spec.smsc);
  const recipient = encodeTpAddress(spec.recipient, spec.recipientType ?? 'unknown');
  const firstReference = checkOctet(spec.messageReference ?? 0, 'messageReference');
  const dcs = dataCodingScheme(userData.encoding);
  return userData.parts.map((part, index) =>
    bytesToHexUpper([
      ...smsc,
      0x01 | (part.hasHeader ? 0x40 : 0), // TP-MTI 01, TP-VPF 00
      (firstReference + index) & 0xff,
      ...recipient,
      0x00, // TP-PID
      dcs,
      part.length,
      ...part.octets,
    ]),
  );
}
