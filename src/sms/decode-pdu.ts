import { readSmscAddress } from './address.js';
import { SmsDecodeError } from './decode-error.js';
import type { PduDecoderOptions } from './decode-options.js';
import { hexToBytes } from './hex.js';
import { PduReader } from './pdu-reader.js';
import { DEFAULT_NATIONAL_TABLES } from './shift-tables.js';
import { readDeliverTpdu } from './tpdu-deliver.js';
import { readStatusReportTpdu } from './tpdu-status-report.js';
import { readSubmitTpdu } from './tpdu-submit.js';
import type { DecodedPdu, SmsDeliver } from './types.js';

/** TP-MTI values as stored on a SIM (TS 23.040 §9.2.3.1); 0 is DELIVER and 3 is reserved. */
const MTI_SUBMIT = 1;
const MTI_STATUS_REPORT = 2;

/** Octet SIM records and some modems pad a PDU with (TS 31.102 EF_SMS: unused octets are FF). */
const PADDING_OCTET = 0xff;

/**
 * After the last field only `FF` padding may follow: anything else means TP-UDL and the data
 * disagree (a damaged PDU or a wrong SMSC option), so the text would be silently wrong.
 */
function rejectTrailingOctets(reader: PduReader): void {
  const bytes = reader.bytes;
  for (let at = reader.offset; at < bytes.length; at += 1) {
    if (bytes[at] !== PADDING_OCTET) {
      throw reader.invalid(`${bytes.length - reader.offset} unexpected octet(s) after TP-UD`, at);
    }
  }
}

/**
 * Decodes one PDU as `AT+CMGR`/`AT+CMGL` print it (TS 27.005 §3.1): the SMSC field (unless
 * `options.hasSmsc` is false), then a TPDU classified by TP-MTI (TS 23.040 §9.2.3.1):
 * 0 SMS-DELIVER, 1 SMS-SUBMIT, 2 SMS-STATUS-REPORT. MTI 3 is reserved; the spec tells a receiver
 * to process it as an SMS-DELIVER, and so does this decoder. For DELIVER and SUBMIT only `FF`
 * padding may follow TP-UD; a status report's optional trailing fields are not read.
 *
 * @throws SmsDecodeError for every malformed input, never another error type.
 */
export function decodePduBytes(bytes: Uint8Array, options: PduDecoderOptions = {}): DecodedPdu {
  const reader = new PduReader(bytes);
  const national = options.nationalTables ?? DEFAULT_NATIONAL_TABLES;
  const smsc = options.hasSmsc === false ? null : readSmscAddress(reader);
  const firstOctet = reader.readOctet('first octet (TP-MTI)');
  const mti = firstOctet & 0x03;
  if (mti === MTI_STATUS_REPORT) return readStatusReportTpdu(reader, smsc);
  const decoded =
    mti === MTI_SUBMIT
      ? readSubmitTpdu(reader, smsc, firstOctet, national)
      : readDeliverTpdu(reader, smsc, firstOctet, national);
  rejectTrailingOctets(reader);
  return decoded;
}

/** {@link decodePduBytes} for a hex string (either case, no whitespace). */
export function decodePdu(hex: string, options: PduDecoderOptions = {}): DecodedPdu {
  return decodePduBytes(hexToBytes(hex), options);
}

/** Offset of the first TPDU octet, for the NOT_DELIVER error (0 when there is no SMSC field). */
function tpduOffset(bytes: Uint8Array, options: PduDecoderOptions): number {
  return options.hasSmsc === false ? 0 : (bytes[0] ?? 0) + 1;
}

/**
 * Decodes a PDU that must be an SMS-DELIVER (TS 23.040 §9.2.2.1), as received messages are.
 *
 * @throws SmsDecodeError `SMS_PDU_NOT_DELIVER` (offset of the first TPDU octet) for a valid
 *   SMS-SUBMIT or SMS-STATUS-REPORT, and every other decode error as {@link decodePduBytes}.
 */
export function decodeDeliverPduBytes(bytes: Uint8Array, options: PduDecoderOptions = {}): SmsDeliver {
  const decoded = decodePduBytes(bytes, options);
  if (decoded.type === 'deliver') return decoded;
  const name = decoded.type === 'submit' ? 'SMS-SUBMIT' : 'SMS-STATUS-REPORT';
  throw new SmsDecodeError(
    'SMS_PDU_NOT_DELIVER',
    `PDU is an ${name}, not an SMS-DELIVER`,
    tpduOffset(bytes, options),
  );
}

/** {@link decodeDeliverPduBytes} for a hex string (either case, no whitespace). */
export function decodeDeliverPdu(hex: string, options: PduDecoderOptions = {}): SmsDeliver {
  return decodeDeliverPduBytes(hexToBytes(hex), options);
}
