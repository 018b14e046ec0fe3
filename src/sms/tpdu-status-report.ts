import { readTpAddress } from './address.js';
import type { PduReader } from './pdu-reader.js';
import { readTimestamp } from './timestamp.js';
import type { SmsStatusReport } from './types.js';

/**
 * Decodes an SMS-STATUS-REPORT TPDU (TS 23.040 §9.2.2.3) after its first octet: TP-MR, TP-RA,
 * TP-SCTS, TP-DT, TP-ST. The optional TP-PI and the fields it announces are not needed by the
 * product and are left unread.
 */
export function readStatusReportTpdu(reader: PduReader, smsc: string | null): SmsStatusReport {
  const messageReference = reader.readOctet('TP-MR');
  const recipient = readTpAddress(reader, 'TP-RA');
  const serviceCentreTimestamp = readTimestamp(reader, 'TP-SCTS');
  const dischargeTimestamp = readTimestamp(reader, 'TP-DT');
  const status = reader.readOctet('TP-ST');
  return {
    type: 'status-report',
    smsc,
    messageReference,
    recipient: recipient.address,
    recipientType: recipient.type,
    serviceCentreTimestamp,
    dischargeTimestamp,
    status,
  };
}
