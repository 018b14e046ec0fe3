/**
 * Public API of the SMS codec parts beside the PDU decoder: national language tables
 * (TS 23.038 Annex A), TPDU encoders (TS 23.040), text-mode parsers (TS 27.005 §3.4) and the
 * concatenated-SMS reassembler.
 */
export {
  DEFAULT_ENCODE_TIMESTAMP_MS,
  type DeliverSpec,
  dataCodingScheme,
  encodeSmsDeliver,
} from './encode-deliver.js';
export { encodeSmsc, encodeTimestamp, encodeTpAddress, type PlainNumberType } from './encode-fields.js';
export { type Gsm7Languages, isGsm7Encodable, textToSeptetGroups } from './encode-gsm7-text.js';
export { bytesToHexUpper, tpduLength } from './encode-hex.js';
export { headerFillBits, headerSeptets, packSeptets } from './encode-septets.js';
export { encodeSmsStatusReport, type StatusReportSpec } from './encode-status-report.js';
export { encodeSmsSubmit, type SubmitSpec } from './encode-submit.js';
export {
  type EncodedUserData,
  type EncodingChoice,
  encodeUserData,
  type UserDataOptions,
  type UserDataPart,
} from './encode-user-data.js';
export { NATIONAL_LANGUAGES, nationalLockingShiftTable, nationalSingleShiftTable } from './gsm7-national.js';
export {
  type AddResult,
  deliverTextSeptets,
  type ExpiredGroup,
  fromUtf16Hex,
  type HeldPart,
  type JoinablePart,
  joinParts,
  Reassembler,
  type ReassemblerSnapshot,
  type ReassemblyPart,
  reassemblyKey,
  reassemblyPartFromPdu,
  toUtf16Hex,
} from './reassembler.js';
export * from './text-mode/index.js';
