import { readTpAddress } from './address.js';
import type { PduReader } from './pdu-reader.js';
import type { NationalShiftTables } from './shift-tables.js';
import { readTimestamp } from './timestamp.js';
import { FIRST_OCTET, readDataCoding } from './tpdu-fields.js';
import type { SmsDeliver } from './types.js';
import { readUserData } from './user-data.js';

/**
 * Decodes the SMS-DELIVER TPDU (TS 23.040 §9.2.2.1) after its first octet: TP-OA, TP-PID,
 * TP-DCS, TP-SCTS, TP-UDL, TP-UD.
 */
export function readDeliverTpdu(
  reader: PduReader,
  smsc: string | null,
  firstOctet: number,
  national: NationalShiftTables,
): SmsDeliver {
  const sender = readTpAddress(reader, 'TP-OA');
  const protocolId = reader.readOctet('TP-PID');
  const { dcs, coding } = readDataCoding(reader);
  const timestamp = readTimestamp(reader, 'TP-SCTS');
  const userData = readUserData(reader, (firstOctet & FIRST_OCTET.userDataHeader) !== 0, coding, national);
  return {
    type: 'deliver',
    smsc,
    sender: sender.address,
    senderType: sender.type,
    protocolId,
    dataCodingScheme: dcs,
    encoding: coding.encoding,
    messageClass: coding.messageClass,
    timestamp,
    text: userData.text,
    concat: userData.header?.concat ?? null,
    moreMessagesToSend: (firstOctet & FIRST_OCTET.noMoreMessages) === 0,
    statusReportIndication: (firstOctet & FIRST_OCTET.statusReport) !== 0,
    replyPath: (firstOctet & FIRST_OCTET.replyPath) !== 0,
    lockingShiftLanguage: userData.lockingShiftLanguage,
    singleShiftLanguage: userData.singleShiftLanguage,
  };
}
