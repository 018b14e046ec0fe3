/**
 * What the modem layer hands to the application, and what it needs back. Nothing here knows a
 * database or a webhook exists.
 */

/** Modem lifecycle, as shown in `GET /api/modems` (CONTRACT.md §3). */
export type ModemState = 'opening' | 'initializing' | 'ready' | 'recovering' | 'gone';

export type ModemVendor = 'huawei' | 'zte' | 'simcom' | 'quectel' | 'generic';

/** Identity read at init (TS 27.007 +CGMI/+CGMM/+CGMR/+CGSN/+CIMI and the vendor CCID forms). */
export interface ModemIdentity {
  manufacturer: string | null;
  model: string | null;
  revision: string | null;
  imei: string | null;
  imsi: string | null;
  iccid: string | null;
  /** The SIM's own number from `AT+CNUM`, digits only; null when it stores none. */
  ownNumber?: string | null;
  vendor: ModemVendor;
}

/** Radio status, refreshed periodically. */
export interface ModemRadioStatus {
  operator: string | null;
  /** +CSQ RSSI 0-31, null for 99 (unknown). */
  signal: number | null;
  /** Registered home or roaming (+CREG/+CGREG/+CEREG stat 1 or 5). */
  registered: boolean;
}

/** A snapshot of one modem for status views and metrics. */
export interface ModemSnapshot extends ModemRadioStatus {
  /** Stable id of the slot: the configured port path (not the resolved ttyUSBn). */
  port: string;
  state: ModemState;
  identity: ModemIdentity | null;
  lastSmsAt: string | null;
  /** Storage fill, from +CPMS. */
  storageUsed: number | null;
  storageTotal: number | null;
  resets: number;
  reconnects: number;
}

/** Where a received message came from on the modem. */
export type SmsOrigin =
  /** Stored on the modem (+CMTI/+CMGL); must be deleted with +CMGD after the ack. */
  | { kind: 'stored'; storage: string; index: number }
  /** Direct delivery (+CMT); acknowledged to the network with +CNMA after the ack. */
  | { kind: 'direct' };

/** One message as read from a modem, before any decoding beyond what text mode imposes. */
export interface ReceivedSms {
  /** Configured port (slot) it came from. */
  port: string;
  iccid: string | null;
  imsi: string | null;
  origin: SmsOrigin;
  /** PDU mode: the hex as the modem printed it, SMSC field included. */
  pdu: string | null;
  /** Text mode: the parsed header and body (when the modem would not do PDU mode). */
  textMode: TextModeSms | null;
  /** +CMGL/+CMGR stat: 0 REC UNREAD, 1 REC READ, 2 STO UNSENT, 3 STO SENT. */
  status: number | null;
  /** Epoch ms when the bridge read it. */
  receivedAtMs: number;
}

/** A text-mode message (+CMGR/+CMGL with AT+CMGF=1), decoded to Unicode. */
export interface TextModeSms {
  sender: string;
  senderType: 'international' | 'national' | 'alphanumeric' | 'unknown';
  /** Decoded body text. */
  text: string;
  /** Raw body as read (hex for UCS2 charset), kept for the store. */
  rawBody: string;
  timestamp: string | null;
  alpha: string | null;
}

/**
 * The consumer of received messages. `accept` resolves only once the message is durably
 * stored; only then does the driver delete it from the SIM (or +CNMA it). If `accept`
 * rejects, the message stays on the SIM and is offered again by the next sweep.
 */
export interface SmsSink {
  accept(sms: ReceivedSms): Promise<void>;
}
