import type { ModemSnapshot } from '../modem/types.js';

/** One configured SIM as the reseller sees it right now. */
export interface LiveSim {
  /** E.164 digits, no `+` (CONTRACT.md §2 `sims[].phone`). */
  phone: string;
  /** Lower-case country name as Onlinesim writes it (onlinesim-reseller.md §8). */
  country: string;
  operator: string;
  /** Services on offer for this SIM (its own list, or `reseller.services`). */
  services: readonly string[];
  /** Its modem is up (`ready`). */
  online: boolean;
  /** Registered on the network (home or roaming). */
  registered: boolean;
}

/** The inventory view the composition root provides: configured SIMs joined with modem state. */
export interface LiveSims {
  liveSims(): readonly LiveSim[];
}

/** The fields of a `sims[]` config entry this view needs (CONTRACT.md §2; config `SimConfig`). */
export interface SimConfigEntry {
  iccid?: string;
  imsi?: string;
  phone: string;
  country?: string;
  operator?: string;
  services?: readonly string[];
}

/**
 * Joins configured SIMs with modem snapshots by ICCID (IMSI when the SIM has no ICCID in config).
 * A SIM whose modem is not found is listed offline: it may sit in a bank slot, not in a live
 * port, and must not be counted (onlinesim-reseller.md §3). A SIM without `country` or
 * `operator` cannot be offered to Onlinesim and is left out.
 */
export function joinLiveSims(
  sims: readonly SimConfigEntry[],
  snapshots: readonly ModemSnapshot[],
  defaultServices: readonly string[],
): LiveSim[] {
  const byIccid = new Map<string, ModemSnapshot>();
  const byImsi = new Map<string, ModemSnapshot>();
  for (const snapshot of snapshots) {
    const iccid = snapshot.identity?.iccid;
    const imsi = snapshot.identity?.imsi;
    if (iccid) byIccid.set(normaliseIccid(iccid), snapshot);
    if (imsi) byImsi.set(imsi, snapshot);
  }
  const live: LiveSim[] = [];
  for (const sim of sims) {
    if (!sim.country || !sim.operator) continue;
    const modem = sim.iccid
      ? byIccid.get(normaliseIccid(sim.iccid))
      : sim.imsi
        ? byImsi.get(sim.imsi)
        : undefined;
    live.push({
      phone: sim.phone,
      country: sim.country,
      operator: sim.operator,
      services: sim.services ?? defaultServices,
      online: modem?.state === 'ready',
      registered: modem?.registered ?? false,
    });
  }
  return live;
}

/** Some modems pad the ICCID with `F` or print letters in lower case. */
function normaliseIccid(iccid: string): string {
  return iccid.toUpperCase().replace(/F+$/, '');
}
