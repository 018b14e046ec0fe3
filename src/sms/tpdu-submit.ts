import { readTpAddress } from './address.js';
import type { PduReader } from './pdu-reader.js';
import type { NationalShiftTables } from './shift-tables.js';
import { FIRST_OCTET, readDataCoding } from './tpdu-fields.js';
import type { SmsSubmit } from './types.js';
import { readUserData } from './user-data.js';

/** Octets of TP-VP per TP-VPF (bits 4..3 of the first octet), TS 23.040 §9.2.3.3 / §9.2.3.12. */
const VALIDITY_PERIOD_OCTETS: readonly number[] = [0, 7, 1, 7];

/**
 * Decodes an SMS-SUBMIT TPDU (TS 23.040 §9.2.2.2) after its first octet: TP-MR, TP-DA, TP-PID,
 * TP-DCS, TP-VP (0, 1 or 7 octets per TP-VPF, skipped), TP-UDL, TP-UD. Such PDUs appear in
 * `AT+CMGL=4` output for messages stored on the SIM to be sent.
 */
export function readSubmitTpdu(
  reader: PduReader,
  smsc: string | null,
  firstOctet: number,
  national: NationalShiftTables,
): SmsSubmit {
  const messageReference = reader.readOctet('TP-MR');
  const recipient = readTpAddress(reader, 'TP-DA');
  reader.readOctet('TP-PID');
  const { coding } = readDataCoding(reader);
  reader.take(VALIDITY_PERIOD_OCTETS[(firstOctet >> 3) & 0x03] ?? 0, 'TP-VP');
  const userData = readUserData(reader, (firstOctet & FIRST_OCTET.userDataHeader) !== 0, coding, national);
  return {
    type: 'submit',
    smsc,
    messageReference,
    recipient: recipient.address,
    recipientType: recipient.type,
    encoding: coding.encoding,
    text: userData.text,
    concat: userData.header?.concat ?? null,
  };
}
