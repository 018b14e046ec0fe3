import type { ModemSnapshot, ModemState } from '../modem/types.js';

/** One modem as `GET /api/modems` and `simbridge modems --json` show it (CONTRACT.md §3). */
export interface ModemView {
  port: string;
  state: ModemState;
  imei: string | null;
  imsi: string | null;
  iccid: string | null;
  phone: string | null;
  operator: string | null;
  /** +CSQ RSSI 0-31, null when unknown. */
  signal: number | null;
  registered: boolean;
  /** ISO 8601, null when none yet. */
  lastSmsAt: string | null;
}

/** Projects a driver snapshot to the contract's fields, with the phone from the SIM map. */
export function toModemView(
  snapshot: ModemSnapshot,
  phoneFor: (sim: { iccid: string | null; imsi: string | null }) => string | null,
): ModemView {
  const imsi = snapshot.identity?.imsi ?? null;
  const iccid = snapshot.identity?.iccid ?? null;
  return {
    port: snapshot.port,
    state: snapshot.state,
    imei: snapshot.identity?.imei ?? null,
    imsi,
    iccid,
    phone: iccid === null && imsi === null ? null : phoneFor({ iccid, imsi }),
    operator: snapshot.operator,
    signal: snapshot.signal,
    registered: snapshot.registered,
    lastSmsAt: snapshot.lastSmsAt,
  };
}
