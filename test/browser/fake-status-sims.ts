import type { AdminDeps } from '../../src/http/admin-deps.js';
import type { AdminSim } from '../../src/http/admin-sims.js';
import { MODEMS, PHONES } from './fake-admin-deps.js';

/**
 * The fake farm's SIM registry for the status page: the first SIM is in the config with a
 * balance read; the second's number was found by the SIM and awaits confirmation (so the SIM
 * directory gives it no phone). Its ICCID is listed with the `F` padding some modems print.
 */

export const CONFIG_ICCID = MODEMS[0]?.identity?.iccid ?? '';
export const UNCONFIRMED_ICCID = `${MODEMS[1]?.identity?.iccid ?? ''}F`;

export const STATUS_SIMS: AdminSim[] = [
  {
    iccid: CONFIG_ICCID,
    phone: PHONES[CONFIG_ICCID] ?? null,
    confirmed: true,
    balance: 123.45,
    balanceAtMs: Date.parse('2026-11-24T12:00:00Z'),
  },
  { iccid: UNCONFIRMED_ICCID, phone: '79161234567', confirmed: false, balance: null, balanceAtMs: null },
];

export function statusSimsDeps(): Partial<AdminDeps> {
  return {
    phoneFor: ({ iccid }) => (iccid === CONFIG_ICCID ? (PHONES[iccid] ?? null) : null),
    sims: { list: () => STATUS_SIMS, confirm: async () => STATUS_SIMS[1] as AdminSim },
  };
}
