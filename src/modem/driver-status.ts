import type { ModemHistory } from './driver-types.js';
import type { StorageFill } from './parsers/parse-cpms.js';
import type { ModemIdentity, ModemRadioStatus, ModemSnapshot, ModemState } from './types.js';

/** What a driver remembers about its modem for snapshots: counters, radio, storage fill. */
export class DriverStatus {
  history: ModemHistory = { resets: 0, reconnects: 0, lastSmsAt: null };
  radio: ModemRadioStatus = { operator: null, signal: null, registered: false };
  fill: StorageFill | null = null;

  /** Adds the counters of an earlier driver of the same SIM (re-identified by ICCID). */
  adopt(earlier: ModemHistory): void {
    this.history = {
      resets: this.history.resets + earlier.resets,
      reconnects: this.history.reconnects + earlier.reconnects,
      lastSmsAt: this.history.lastSmsAt ?? earlier.lastSmsAt,
    };
  }

  snapshot(port: string, state: ModemState, identity: ModemIdentity | null): ModemSnapshot {
    return {
      port,
      state,
      identity,
      lastSmsAt: this.history.lastSmsAt,
      storageUsed: this.fill?.used ?? null,
      storageTotal: this.fill?.total ?? null,
      resets: this.history.resets,
      reconnects: this.history.reconnects,
      ...this.radio,
    };
  }
}
