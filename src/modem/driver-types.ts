import type { AtCommander } from '../at/types.js';
import type { Logger } from '../log.js';
import type { ByteChannel } from '../transport/byte-channel.js';
import type { FarmTicker } from './farm-ticker.js';
import type { ModemTimings } from './options.js';
import type { StorageFill } from './parsers/parse-cpms.js';
import type { SmsReadOutcome } from './sms-read-tap.js';
import type { ModemIdentity, ModemRadioStatus, ModemState, ReceivedSms, SmsSink } from './types.js';

/** Events of one modem (STYLE.md §3 "typed events"). */
export interface ModemDriverEvents {
  stateChanged: [state: ModemState, previous: ModemState];
  /** After every successful init (the manager re-identifies SIMs by ICCID from it). */
  identity: [identity: ModemIdentity];
  radio: [radio: ModemRadioStatus];
  storage: [fill: StorageFill];
  /** A message the sink accepted (emitted before it is deleted from the modem). */
  smsReceived: [sms: ReceivedSms];
  /** A stored message deleted after its ack. */
  smsDeleted: [index: number];
  /** An SMS read (`AT+CMGR` / `AT+CMGL`) ended in OK or in `+CMS ERROR` (SIM health). */
  smsRead: [outcome: SmsReadOutcome];
  /** The modem rebooted on its own (unexpected boot URC) and is being set up again. */
  reset: [line: string];
}

/** History carried across drivers when a SIM reappears on another port. */
export interface ModemHistory {
  resets: number;
  reconnects: number;
  lastSmsAt: string | null;
}

export interface ModemDriverOptions {
  /** Slot id shown in snapshots and stamped on every message. */
  port: string;
  sink: SmsSink;
  log: Logger;
  /** Opens the port (again). Rejects while the device is absent. */
  openChannel(): Promise<ByteChannel>;
  /** Builds the command engine over an open channel. */
  createCommander(channel: ByteChannel, log: Logger): AtCommander;
  timings?: Partial<ModemTimings>;
  /** While gone, how often to try the port again by itself (the manager also nudges). Default 2000. */
  goneRetryMs?: number;
  /** The farm's shared storage-check timer (the manager's); without it the driver keeps its own. */
  storageTicker?: FarmTicker;
}
