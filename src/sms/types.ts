/**
 * Shapes produced by the SMS codec (TS 23.040 / TS 23.038). Pure data: no Buffers, no clocks.
 */

/** TS 23.038 §4 alphabet of the user data. `8bit` text is the payload as uppercase hex. */
export type SmsEncoding = 'gsm7' | 'ucs2' | '8bit';

/** How the originating address is to be read (TON of TS 23.040 §9.1.2.5, simplified). */
export type SenderType = 'international' | 'national' | 'alphanumeric' | 'unknown';

/** Concatenation IE 0x00 (8-bit reference) or 0x08 (16-bit reference), TS 23.040 §9.2.3.24.1/.8 */
export interface ConcatInfo {
  reference: number;
  total: number;
  /** 1-based sequence number of this part. */
  sequence: number;
  /** Width of the reference in the IE: 8 for IE 0x00, 16 for IE 0x08. */
  referenceBits: 8 | 16;
}

/** A decoded SMS-DELIVER TPDU (TS 23.040 §9.2.2.1). */
export interface SmsDeliver {
  type: 'deliver';
  /** Service centre address, `+` prefixed when international; null when absent or empty. */
  smsc: string | null;
  /** TP-OA: `+digits` for international, digits otherwise, decoded text for alphanumeric. */
  sender: string;
  senderType: SenderType;
  /** TP-PID, TS 23.040 §9.2.3.9. */
  protocolId: number;
  /** TP-DCS raw octet, TS 23.038 §4. */
  dataCodingScheme: number;
  encoding: SmsEncoding;
  /** Message class 0-3 from the DCS, else null. */
  messageClass: 0 | 1 | 2 | 3 | null;
  /** TP-SCTS as ISO 8601 with the offset carried in the PDU (`+00:00`, never `Z`). */
  timestamp: string;
  /** Text of this part alone (for 8bit: uppercase hex of the user data without UDH). */
  text: string;
  concat: ConcatInfo | null;
  /** TP-MMS inverted: true when the SC has more messages waiting. */
  moreMessagesToSend: boolean;
  /** TP-SRI: the sender asked for a status report. */
  statusReportIndication: boolean;
  /** TP-RP. */
  replyPath: boolean;
  /** National language shift tables used (IE 0x24/0x25), TS 23.038 §6.2.1.2.4; 0 = none. */
  lockingShiftLanguage: number;
  singleShiftLanguage: number;
}

/** SMS-STATUS-REPORT (TS 23.040 §9.2.2.3): classified so it is never mistaken for a DELIVER. */
export interface SmsStatusReport {
  type: 'status-report';
  smsc: string | null;
  messageReference: number;
  recipient: string;
  recipientType: SenderType;
  serviceCentreTimestamp: string;
  dischargeTimestamp: string;
  /** TP-ST, TS 23.040 §9.2.3.15. */
  status: number;
}

/** SMS-SUBMIT (TS 23.040 §9.2.2.2): an outgoing message stored on the SIM. */
export interface SmsSubmit {
  type: 'submit';
  smsc: string | null;
  messageReference: number;
  recipient: string;
  recipientType: SenderType;
  encoding: SmsEncoding;
  text: string;
  concat: ConcatInfo | null;
}

export type DecodedPdu = SmsDeliver | SmsStatusReport | SmsSubmit;

/** Options for the PDU decoders. */
export interface PduDecodeOptions {
  /** The hex starts with the SMSC field, as `AT+CMGR`/`AT+CMGL` print it. Default true. */
  hasSmsc?: boolean;
}
