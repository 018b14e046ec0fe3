/** Text-mode SMS (TS 27.005 §3.4 with AT+CMGF=1): header and body parsers. */
export { decodeTextModeAddress, decodeTextModeBody, decodeUcs2Hex, type TextModeCharset } from './charset.js';
export { splitTextFields, type TextField } from './fields.js';
export {
  type CmglTextHeader,
  parseCmglTextHeader,
  parseCmgrTextHeader,
  type TextHeaderOptions,
  type TextModeHeader,
  type TextModeSenderType,
} from './header.js';
export {
  groupCmglLines,
  joinBodyLines,
  parseCmglText,
  parseCmgrText,
  type TextMessageOptions,
  type TextModeListed,
  type TextModeRead,
} from './message.js';
export { TextModeError, type TextModeErrorCode } from './text-mode-error.js';
export { parseTextModeTimestamp } from './timestamp.js';
