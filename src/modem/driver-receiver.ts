/**
 * Binds a freshly initialised modem to its SMS receiver: the first init creates the receiver,
 * a re-init (after a reset or a replug) resumes the same one on the new port and settings.
 *
 * Moved out of modem-driver.ts: the driver is the lifecycle loop; what a received or deleted
 * SMS updates (the status history, the driver's events) is wired here.
 */
import type { Logger } from '../log.js';
import type { DriverStatus } from './driver-status.js';
import type { ModemDriverOptions } from './driver-types.js';
import type { ModemTimings } from './options.js';
import { type ReceiverOptions, SmsReceiver } from './receive.js';
import type { ReceivedSms } from './types.js';

export interface DriverReceiverParts {
  sink: ModemDriverOptions['sink'];
  log: Logger;
  port: string;
  timings: Pick<ModemTimings, 'commandTimeoutMs' | 'simBusyReadRetryMs'>;
  status: DriverStatus;
  onAccepted: (sms: ReceivedSms) => void;
  onDeleted: (index: number) => void;
}

/** Resumes `existing` on `binding`, or creates the receiver on the first init. */
export function bindReceiver(
  existing: SmsReceiver | null,
  binding: Pick<ReceiverOptions, 'at' | 'settings' | 'identity'>,
  parts: DriverReceiverParts,
): SmsReceiver {
  if (existing) {
    existing.resume(binding);
    return existing;
  }
  return new SmsReceiver({
    ...binding,
    sink: parts.sink,
    log: parts.log,
    port: parts.port,
    commandTimeoutMs: parts.timings.commandTimeoutMs,
    simBusyRetryMs: parts.timings.simBusyReadRetryMs,
    onAccepted: (sms) => {
      parts.status.history.lastSmsAt = new Date(sms.receivedAtMs).toISOString();
      parts.onAccepted(sms);
    },
    onDeleted: parts.onDeleted,
  });
}
