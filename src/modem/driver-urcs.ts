import type { Logger } from '../log.js';
import type { DriverStatus } from './driver-status.js';
import type { Nudge } from './options.js';
import type { ModemProfile } from './profiles/profile.js';
import type { SmsReceiver } from './receive.js';
import type { ModemRadioStatus } from './types.js';
import type { UrcCallbacks } from './urc-handlers.js';

/** What a driver's URC handling reaches. */
export interface DriverUrcHost {
  readonly log: Logger;
  readonly status: DriverStatus;
  /** Fired while not ready: the init's SIM-busy wait retries at once. */
  readonly simReady: Nudge;
  profile(): ModemProfile | null;
  isReady(): boolean;
  receiver(): SmsReceiver | null;
  /** A `+CMT` that came before the modem was ready, handed up once it is. */
  holdDirect(lines: readonly string[]): void;
  /** A boot URC while ready: the modem reset itself and must be set up again. */
  resetSeen(line: string): void;
  sweepNow(reason: string): Promise<void>;
  radio(radio: ModemRadioStatus): void;
}

/** What a driver does with each kind of unsolicited line. */
export function driverUrcCallbacks(host: DriverUrcHost): UrcCallbacks {
  const { log } = host;
  return {
    profile: () => host.profile(),
    indication: (indication) => {
      // Not ready: the sweep that follows the (re)init finds the message.
      if (!host.isReady()) return;
      host
        .receiver()
        ?.onIndication(indication)
        .catch((err: unknown) => {
          log.warn({ err, index: indication.index }, 'reading an indicated message failed');
        });
    },
    direct: (lines) => {
      const receiver = host.receiver();
      if (host.isReady() && receiver) {
        receiver.onDirect(lines).catch((err: unknown) => log.warn({ err }, 'direct message failed'));
      } else {
        host.holdDirect(lines);
      }
    },
    boot: (line) => {
      if (!host.isReady()) {
        // Most likely the SIM finishing its boot while the init waits on it: retry now.
        host.simReady.fire();
        return;
      }
      log.warn({ line }, 'modem reset itself; setting it up again');
      host.resetSeen(line);
    },
    simReadyHint: () => host.simReady.fire(),
    storageFull: (line) => {
      log.warn({ line }, 'message storage full; draining now');
      void host.sweepNow('storage-full');
    },
    registration: (registered) => {
      host.status.radio = { ...host.status.radio, registered };
      host.radio(host.status.radio);
    },
  };
}
