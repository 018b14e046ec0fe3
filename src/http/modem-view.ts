import type { SimHealth, SimHealthFields, SimHealthReason } from '../health/sim-health.js';
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
  /** SIM health (src/health); `healthy` when not judged (no SIM identity yet). */
  health: SimHealth;
  /** `unregistered`, `read_errors` or `low_balance`; null when healthy. */
  healthReason: SimHealthReason | null;
}

/** The health facts a modem carries in the admin API (`AdminModem`). */
export type ModemHealthFields = SimHealthFields;

/** Projects a driver snapshot to the contract's fields, with the phone from the SIM map. */
export function toModemView(
  snapshot: ModemSnapshot & Partial<ModemHealthFields>,
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
    health: snapshot.health ?? 'healthy',
    healthReason: snapshot.healthReason ?? null,
  };
}
