/**
 * Minimal SMS-STATUS-REPORT encoder (TS 23.040 §9.2.2.3), so the modem emulator can hold the
 * reports a real SIM also stores.
 */
import {
  checkOctet,
  encodeSmsc,
  encodeTimestamp,
  encodeTpAddress,
  type PlainNumberType,
} from './encode-fields.js';
import { bytesToHexUpper } from './encode-hex.js';

export interface StatusReportSpec {
  /** TP-MR of the SUBMIT this report is about. */
  messageReference: number;
  recipient: string;
  /** TP-ST (TS 23.040 §9.2.3.15). Default 0 (received by the SME). */
  status?: number;
  serviceCentreTimestamp: Date;
  dischargeTimestamp: Date;
  timezoneQuarterHours?: number;
  smsc?: string | null;
  recipientType?: PlainNumberType;
}

/** Encodes an SMS-STATUS-REPORT (TP-MTI 10, no parameter indicator) as hex, SMSC field first. */
export function encodeSmsStatusReport(spec: StatusReportSpec): string {
  const zone = spec.timezoneQuarterHours ?? 0;
  return bytesToHexUpper([
    ...encodeSmsc(spec.smsc),
    0x06, // TP-MTI 10, TP-MMS 1 (no more messages)
    checkOctet(spec.messageReference, 'messageReference'),
    ...encodeTpAddress(spec.recipient, spec.recipientType ?? 'unknown'),
    ...encodeTimestamp(spec.serviceCentreTimestamp, zone),
    ...encodeTimestamp(spec.dischargeTimestamp, zone),
    checkOctet(spec.status ?? 0, 'status'),
  ]);
}
