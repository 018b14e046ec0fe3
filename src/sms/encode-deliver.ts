/**
 * SMS-DELIVER encoder (TS 23.040 §9.2.2.1) for the modem emulator and tests: builds the PDUs a
 * modem would print for a received message, SMSC field first as `AT+CMGR` shows it
 * (TS 27.005 §3.4.3 / §4.1 PDU mode).
 */
import {
  checkOctet,
  encodeSmsc,
  encodeTimestamp,
  encodeTpAddress,
  type PlainNumberType,
} from './encode-fields.js';
import { bytesToHexUpper } from './encode-hex.js';
import { type EncodingChoice, encodeUserData, type UserDataPart } from './encode-user-data.js';
import type { SmsEncoding } from './types.js';

export interface DeliverSpec {
  /** `+digits` international, digits unknown/national (see `senderType`), other text alphanumeric. */
  sender: string;
  /** Message text; for `8bit` the user data as hex. */
  text: string;
  /** Default `auto`: GSM 7-bit when every character fits the tables, else UCS-2. */
  encoding?: EncodingChoice;
  /** TP-SCTS. Default 2000-01-01T00:00:00Z (the codec reads no clock). */
  timestamp?: Date;
  /** Zone of the time stamp in quarter hours east of UTC (-79..79). Default 0. */
  timezoneQuarterHours?: number;
  /** Service centre; null/absent gives the empty SMSC field `00`. */
  smsc?: string | null;
  /** Message class in the DCS (TS 23.038 §4, general coding group); null/absent = none. */
  messageClass?: 0 | 1 | 2 | 3 | null;
  /** Concatenation reference of a multipart message. Default 0. */
  reference?: number;
  referenceBits?: 8 | 16;
  /** National language tables (GSM 7-bit only), TS 23.038 Annex A. Default 0 (none). */
  lockingShiftLanguage?: number;
  singleShiftLanguage?: number;
  /** TP-PID. Default 0. */
  protocolId?: number;
  /** Type of a digit-only sender without `+`. Default `unknown`. */
  senderType?: PlainNumberType;
}

/** Default TP-SCTS (epoch ms, 2000-01-01T00:00:00Z) when the spec gives none: fixed, reproducible. */
export const DEFAULT_ENCODE_TIMESTAMP_MS = Date.UTC(2000, 0, 1, 0, 0, 0);

/**
 * TP-DCS (TS 23.038 §4): general data coding, uncompressed; alphabet bits 3..2 (00 GSM 7-bit,
 * 01 8-bit, 10 UCS-2); bit 4 set and bits 1..0 the class when a class is given.
 */
export function dataCodingScheme(encoding: SmsEncoding, messageClass: 0 | 1 | 2 | 3 | null = null): number {
  const alphabet = encoding === 'gsm7' ? 0x00 : encoding === '8bit' ? 0x04 : 0x08;
  return messageClass === null ? alphabet : 0x10 | alphabet | messageClass;
}

/** First octet: TP-MTI 00, TP-MMS 1 (no more messages), TP-UDHI when a header is present. */
function firstOctet(part: UserDataPart): number {
  return 0x04 | (part.hasHeader ? 0x40 : 0);
}

/**
 * Encodes an SMS-DELIVER as one uppercase hex PDU per part (SMSC field included). Long texts
 * are split into concatenated parts: GSM 7-bit 160 septets alone, 153 per part with an 8-bit
 * reference, 152 with a 16-bit one; UCS-2 70 / 67 / 66 characters (a surrogate pair counts 2
 * and is never split); escapes never split from their septet. National language IEs (3 octets
 * each, in every part) take their room from the text too.
 *
 * @throws GatewayError `SMS_ENCODE_INVALID` for a field that cannot be encoded.
 */
export function encodeSmsDeliver(spec: DeliverSpec): string[] {
  const userData = encodeUserData(spec.text, {
    encoding: spec.encoding ?? 'auto',
    reference: spec.reference ?? 0,
    referenceBits: spec.referenceBits ?? 8,
    lockingShiftLanguage: spec.lockingShiftLanguage ?? 0,
    singleShiftLanguage: spec.singleShiftLanguage ?? 0,
  });
  const smsc = encodeSmsc(spec.smsc);
  const sender = encodeTpAddress(spec.sender, spec.senderType ?? 'unknown');
  const protocolId = checkOctet(spec.protocolId ?? 0, 'protocolId');
  const dcs = dataCodingScheme(userData.encoding, spec.messageClass ?? null);
  const timestamp = encodeTimestamp(
    spec.timestamp ?? new Date(DEFAULT_ENCODE_TIMESTAMP_MS),
    spec.timezoneQuarterHours ?? 0,
  );
  return userData.parts.map((part) =>
    bytesToHexUpper([
      ...smsc,
      firstOctet(part),
      ...sender,
      protocolId,
      dcs,
      ...timestamp,
      part.length,
      ...part.octets,
    ]),
  );
}
