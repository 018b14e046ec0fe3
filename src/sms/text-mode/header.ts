/**
 * Header lines of text-mode `+CMGR` and `+CMGL` replies, TS 27.005 §3.4.3 / §3.4.2 (AT+CMGF=1):
 *
 *     +CMGR: <stat>,<oa>,[<alpha>],<scts>[,<tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length>]
 *     +CMGR: <stat>,<da>,[<alpha>][,<toda>,<fo>,<pid>,<dcs>,[<vp>],<sca>,<tosca>,<length>]
 *     +CMGL: <index>,<stat>,<oa/da>,[<alpha>],[<scts>][,<tooa/toda>,<length>]
 *
 * The bracketed tails are present with `AT+CSDH=1`. Quirks handled: `<stat>` missing (some ZTE
 * firmware starts with the address) or numeric (0-3) instead of the string; a `<toa>` of 145
 * with a number printed without `+`. Status reports (`<fo>` where the address should be) are
 * refused as unsupported: they are read in PDU mode.
 */
import { decodeTextModeAddress, type TextModeCharset } from './charset.js';
import { splitTextFields, type TextField } from './fields.js';
import { TextModeError } from './text-mode-error.js';
import { parseTextModeTimestamp } from './timestamp.js';

export type TextModeSenderType = 'international' | 'national' | 'alphanumeric' | 'unknown';

export interface TextHeaderOptions {
  /** `AT+CSDH=1` was set: the header carries the detailed parameters. */
  csdh: boolean;
  /** `AT+CSCS` in effect; address and alpha strings are in it. Default `GSM`. */
  charset?: TextModeCharset;
}

/** The header of one stored message, fields decoded. */
export interface TextModeHeader {
  /** `<stat>`: 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT; null when the modem omits it. */
  status: number | null;
  /** `<oa>`/`<da>`, `+` prefixed when international. */
  address: string;
  addressType: TextModeSenderType;
  /** `<alpha>` (phonebook name), null when empty. */
  alpha: string | null;
  /** `<scts>` as ISO 8601 with offset; null when absent or not a valid time stamp. */
  timestamp: string | null;
  /** Raw `<scts>` text, empty when absent. */
  rawTimestamp: string;
  /** `<tooa>`/`<toda>` (TS 24.008 type of address octet), null without CSDH. */
  typeOfAddress: number | null;
  /** `<fo>`, `<pid>`, `<dcs>` (TS 23.040 / 23.038 octets), null without CSDH or for CMGL. */
  firstOctet: number | null;
  protocolId: number | null;
  dataCodingScheme: number | null;
  /** `<sca>` (service centre), null when absent or empty. */
  smsc: string | null;
  /** `<length>`: characters (or octets for 8-bit data) of the body; null without CSDH. */
  length: number | null;
}

export interface CmglTextHeader extends TextModeHeader {
  /** `<index>` in the message storage. */
  index: number;
}

const STATUS_NAMES: Readonly<Record<string, number>> = {
  'REC UNREAD': 0,
  'REC READ': 1,
  'STO UNSENT': 2,
  'STO SENT': 3,
};

const TYPE_INTERNATIONAL = 145;

function prefixed(line: string, prefix: string): { rest: string; offset: number } {
  const trimmed = line.replace(/[\r\n]+$/, '');
  if (!trimmed.startsWith(prefix)) {
    throw new TextModeError('SMS_TEXT_INVALID', `header does not start with ${JSON.stringify(prefix)}`, 0);
  }
  return { rest: trimmed.slice(prefix.length), offset: prefix.length };
}

/** The status when this field is one (string name or bare digit 0-3), else undefined. */
function statusOf(field: TextField | undefined): number | undefined {
  if (field === undefined) return undefined;
  if (field.quoted) return STATUS_NAMES[field.value.toUpperCase()];
  return /^[0-3]$/.test(field.value) ? Number(field.value) : undefined;
}

function octetOrNull(field: TextField | undefined, name: string): number | null {
  if (field === undefined || field.value === '') return null;
  if (!/^\d{1,3}$/.test(field.value) || Number(field.value) > 255) {
    throw new TextModeError('SMS_TEXT_INVALID', `${name} must be an octet`, field.offset);
  }
  return Number(field.value);
}

function integerOrNull(field: TextField | undefined, name: string): number | null {
  if (field === undefined || field.value === '') return null;
  if (!/^\d{1,6}$/.test(field.value))
    throw new TextModeError('SMS_TEXT_INVALID', `${name} must be a number`, field.offset);
  return Number(field.value);
}

/**
 * Sender type from `<toa>` (TON in bits 6..4, TS 24.008 §10.5.4.7) when known; else from the
 * text: a leading `+` is international, digits are unknown, anything else alphanumeric.
 */
function addressTypeOf(address: string, typeOfAddress: number | null): TextModeSenderType {
  if (typeOfAddress !== null) {
    switch ((typeOfAddress >> 4) & 0x07) {
      case 1:
        return 'international';
      case 2:
        return 'national';
      case 5:
        return 'alphanumeric';
      default:
        return /^\+?[0-9*#]+$/.test(address)
          ? address.startsWith('+')
            ? 'international'
            : 'unknown'
          : 'alphanumeric';
    }
  }
  if (/^\+[0-9*#]+$/.test(address)) return 'international';
  if (/^[0-9*#]*$/.test(address)) return 'unknown';
  return 'alphanumeric';
}

function addressOf(
  field: TextField | undefined,
  charset: TextModeCharset,
  typeOfAddress: number | null,
): string {
  const decoded = decodeTextModeAddress(field?.value ?? '', charset);
  if (typeOfAddress === TYPE_INTERNATIONAL && /^[0-9]+$/.test(decoded)) return `+${decoded}`;
  return decoded;
}

function rejectStatusReport(field: TextField | undefined): void {
  // A status report has <fo> (an unquoted number) where a message has its quoted address.
  if (field !== undefined && !field.quoted && /^\d+$/.test(field.value)) {
    throw new TextModeError(
      'SMS_TEXT_UNSUPPORTED',
      'status report in text mode; read it in PDU mode',
      field.offset,
    );
  }
}

function buildHeader(
  fields: TextField[],
  status: number | null,
  at: number,
  kind: 'cmgr' | 'cmgl',
  options: TextHeaderOptions,
): TextModeHeader {
  const charset = options.charset ?? 'GSM';
  const addressField = fields[at];
  if (addressField === undefined) throw new TextModeError('SMS_TEXT_INVALID', 'header has no address', 0);
  rejectStatusReport(addressField);
  const stored = status === 2 || status === 3;
  const alphaField = fields[at + 1];
  // A stored SUBMIT read with +CMGR has no <scts>; everywhere else it follows the alpha.
  const hasTimestamp = !(kind === 'cmgr' && stored);
  const timestampField = hasTimestamp ? fields[at + 2] : undefined;
  const detail = at + (hasTimestamp ? 3 : 2);
  let typeOfAddress: number | null = null;
  let firstOctet: number | null = null;
  let protocolId: number | null = null;
  let dataCodingScheme: number | null = null;
  let smsc: string | null = null;
  let length: number | null = null;
  if (options.csdh) {
    typeOfAddress = octetOrNull(fields[detail], '<toa>');
    if (kind === 'cmgl') {
      length = integerOrNull(fields[detail + 1], '<length>');
    } else {
      firstOctet = octetOrNull(fields[detail + 1], '<fo>');
      protocolId = octetOrNull(fields[detail + 2], '<pid>');
      dataCodingScheme = octetOrNull(fields[detail + 3], '<dcs>');
      // SUBMIT has an optional <vp> before <sca>: the tail is then one field longer.
      const tail = detail + 4 + (stored && fields.length > detail + 7 ? 1 : 0);
      const scaType = octetOrNull(fields[tail + 1], '<tosca>');
      const sca = decodeTextModeAddress(fields[tail]?.value ?? '', charset);
      smsc = sca === '' ? null : scaType === TYPE_INTERNATIONAL && /^[0-9]+$/.test(sca) ? `+${sca}` : sca;
      length = integerOrNull(fields[tail + 2], '<length>');
    }
  }
  const address = addressOf(addressField, charset, typeOfAddress);
  const alpha = decodeTextModeAddress(alphaField?.value ?? '', charset);
  const rawTimestamp = timestampField?.value ?? '';
  return {
    status,
    address,
    addressType: addressTypeOf(address, typeOfAddress),
    alpha: alpha === '' ? null : alpha,
    timestamp: rawTimestamp === '' ? null : parseTextModeTimestamp(rawTimestamp),
    rawTimestamp,
    typeOfAddress,
    firstOctet,
    protocolId,
    dataCodingScheme,
    smsc,
    length,
  };
}

/**
 * Parses a text-mode `+CMGR:` header line (TS 27.005 §3.4.3).
 *
 * @throws TextModeError `SMS_TEXT_INVALID` for a malformed line, `SMS_TEXT_UNSUPPORTED` for a
 *   status report.
 */
export function parseCmgrTextHeader(line: string, options: TextHeaderOptions): TextModeHeader {
  const { rest, offset } = prefixed(line, '+CMGR:');
  const fields = splitTextFields(rest, offset);
  const status = statusOf(fields[0]);
  if (status === undefined && fields[0]?.quoted !== true) {
    rejectStatusReport(fields[1]);
    throw new TextModeError(
      'SMS_TEXT_INVALID',
      'first field is neither a status nor an address',
      fields[0]?.offset ?? offset,
    );
  }
  return buildHeader(fields, status ?? null, status === undefined ? 0 : 1, 'cmgr', options);
}

/**
 * Parses a text-mode `+CMGL:` header line (TS 27.005 §3.4.2).
 *
 * @throws TextModeError `SMS_TEXT_INVALID` for a malformed line (no index, ...),
 *   `SMS_TEXT_UNSUPPORTED` for a status report.
 */
export function parseCmglTextHeader(line: string, options: TextHeaderOptions): CmglTextHeader {
  const { rest, offset } = prefixed(line, '+CMGL:');
  const fields = splitTextFields(rest, offset);
  const indexField = fields[0];
  if (indexField === undefined || indexField.quoted || !/^\d{1,5}$/.test(indexField.value)) {
    throw new TextModeError('SMS_TEXT_INVALID', '<index> must be a number', indexField?.offset ?? offset);
  }
  const status = statusOf(fields[1]);
  if (status === undefined && fields[1]?.quoted !== true) {
    rejectStatusReport(fields[2]);
    throw new TextModeError(
      'SMS_TEXT_INVALID',
      'second field is neither a status nor an address',
      fields[1]?.offset ?? offset,
    );
  }
  const header = buildHeader(fields, status ?? null, status === undefined ? 1 : 2, 'cmgl', options);
  return { index: Number(indexField.value), ...header };
}
