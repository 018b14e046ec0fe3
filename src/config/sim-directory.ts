import { normalizeIccid } from './iccid.js';
import type { Config, SimConfig } from './schema.js';

/**
 * Lookups over the configured SIM-to-number map (CONTRACT.md §2 `sims`). The ICCID is the
 * primary key because it is printed on the card and survives moving the SIM between modems; the
 * IMSI is the fallback for modems that cannot read the ICCID (no `+CCID`/`^ICCID`/`+QCCID`).
 */
export interface SimDirectory {
  /** The phone of the SIM with this ICCID, else with this IMSI, else null. */
  phoneFor(sim: { iccid: string | null | undefined; imsi: string | null | undefined }): string | null;
  /** The configured entry for a phone (country, operator, services), or undefined. */
  simByPhone(phone: string): SimConfig | undefined;
  /** Every configured SIM, in config order. */
  all(): readonly SimConfig[];
}

/** Builds the lookups once at start; the config is immutable while running. */
export function simDirectory(config: Pick<Config, 'sims'>): SimDirectory {
  const byIccid = new Map<string, SimConfig>();
  const byImsi = new Map<string, SimConfig>();
  const byPhone = new Map<string, SimConfig>();
  for (const sim of config.sims) {
    if (sim.iccid !== undefined) byIccid.set(normalizeIccid(sim.iccid), sim);
    if (sim.imsi !== undefined) byImsi.set(sim.imsi, sim);
    byPhone.set(sim.phone, sim);
  }
  return {
    phoneFor({ iccid, imsi }) {
      const fromIccid = iccid ? byIccid.get(normalizeIccid(iccid)) : undefined;
      if (fromIccid) return fromIccid.phone;
      const fromImsi = imsi ? byImsi.get(imsi.trim()) : undefined;
      return fromImsi?.phone ?? null;
    },
    simByPhone: (phone) => byPhone.get(phone),
    all: () => config.sims,
  };
}
