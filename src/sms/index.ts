/**
 * Public API of the SMS codec (TS 23.040 / TS 23.038): pure functions over hex strings and
 * octets, no I/O. Every malformed input throws {@link SmsDecodeError}.
 */
export { type DecodedAddress, readSmscAddress, readTpAddress, senderTypeOf } from './address.js';
export { type DataCoding, type DcsGroup, type MessageWaiting, parseDataCodingScheme } from './dcs.js';
export { isSmsDecodeError, SmsDecodeError, type SmsDecodeErrorCode } from './decode-error.js';
export { type DecodeJson, toDecodeJson } from './decode-json.js';
export type { PduDecoderOptions } from './decode-options.js';
export { decodeDeliverPdu, decodeDeliverPduBytes, decodePdu, decodePduBytes } from './decode-pdu.js';
export * from './extras.js';
export { DEFAULT_GSM7_TABLES, decodeGsm7, type Gsm7Tables, septetsToText, unpackSeptets } from './gsm7.js';
export { GSM7_DEFAULT_TABLE, GSM7_EXTENSION_TABLE } from './gsm7-tables.js';
export { bytesToHex, hexToBytes } from './hex.js';
export { PduReader } from './pdu-reader.js';
export { type NationalShiftTables, NO_NATIONAL_TABLES, resolveGsm7Tables } from './shift-tables.js';
export { CENTURY_PIVOT_YY, readTimestamp } from './timestamp.js';
export type * from './types.js';
export { decodeUcs2 } from './ucs2.js';
export { type InformationElement, parseUserDataHeader, type UserDataHeader } from './udh.js';
