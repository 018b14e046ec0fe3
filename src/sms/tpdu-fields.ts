import { type DataCoding, parseDataCodingScheme } from './dcs.js';
import { SmsDecodeError } from './decode-error.js';
import type { PduReader } from './pdu-reader.js';

/** Bits of the first octet of SMS-DELIVER / SMS-SUBMIT, TS 23.040 §9.2.2.1, §9.2.2.2, §9.2.3. */
export const FIRST_OCTET = {
  /** TP-MMS (DELIVER): set when no more messages are waiting. */
  noMoreMessages: 0x04,
  /** TP-SRI (DELIVER) / TP-SRR (SUBMIT). */
  statusReport: 0x20,
  /** TP-UDHI: TP-UD starts with a header. */
  userDataHeader: 0x40,
  /** TP-RP. */
  replyPath: 0x80,
} as const;

/**
 * Reads TP-DCS (TS 23.040 §9.2.3.10, TS 23.038 §4) and rejects compressed text (TS 23.042),
 * which this codec cannot read: `SMS_PDU_UNSUPPORTED` at the DCS octet.
 */
export function readDataCoding(reader: PduReader): { dcs: number; coding: DataCoding } {
  const offset = reader.offset;
  const dcs = reader.readOctet('TP-DCS');
  const coding = parseDataCodingScheme(dcs);
  if (coding.compressed) {
    throw new SmsDecodeError('SMS_PDU_UNSUPPORTED', `compressed text (TP-DCS 0x${dcs.toString(16)})`, offset);
  }
  return { dcs, coding };
}
