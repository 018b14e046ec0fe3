import type { ModemSnapshot } from '../../../src/modem/types.js';

/** A ready, registered MTS modem holding the SIM `iccid`; `overrides` change what a test needs. */
export function modemSnapshot(iccid: string, overrides: Partial<ModemSnapshot> = {}): ModemSnapshot {
  return {
    port: `/dev/gsm/${iccid}`,
    state: 'ready',
    identity: {
      manufacturer: null,
      model: null,
      revision: null,
      imei: null,
      imsi: null,
      iccid,
      vendor: 'generic',
    },
    lastSmsAt: null,
    storageUsed: null,
    storageTotal: null,
    resets: 0,
    reconnects: 0,
    operator: 'MTS',
    signal: 20,
    registered: true,
    ...overrides,
  };
}
