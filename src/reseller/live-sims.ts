import { normalizeIccid } from '../config/iccid.js';
import {
  healthFieldsOf,
  type SimHealth,
  type SimHealthReason,
  type SimHealthVerdict,
} from '../health/sim-health.js';
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
  /** SIM health (src/health): an `unhealthy` SIM is not offered. Absent: not judged (healthy). */
  health?: SimHealth;
  /** Why it is unhealthy (`unregistered`, `read_errors`, `low_balance`); null when healthy. */
  healthReason?: SimHealthReason | null;
}

/** The health of the SIM in a modem (SimHealthMonitor.verdictOf); every SIM healthy without it. */
export type HealthOf = (snapshot: ModemSnapshot) => SimHealthVerdict;

/**
 * The inventory view the composition root provides: configured SIMs joined with modem state
 * (one host), or that joined with the SIMs other hosts reported (a farm sharing PostgreSQL).
 */
export interface LiveSims {
  liveSims(): readonly LiveSim[] | Promise<readonly LiveSim[]>;
}

/** A SIM present in one of this host's modems, as its heartbeat reports it to the farm. */
export interface LiveSimRecord extends LiveSim {
  /** ICCID (normalised), or `imsi:<imsi>` for a SIM configured by IMSI only. */
  simKey: string;
  iccid: string | null;
}

/** What a host shares with the other hosts of its farm through the store. */
export interface FarmRegistry {
  /** Records that this host is alive, and the SIMs it has right now (replacing its previous list). */
  heartbeat(sims: readonly LiveSimRecord[], nowMs: number): Promise<void>;
  /** SIMs reported by the other hosts heard from within `node.staleAfterMs` of `nowMs`. */
  otherHostsSims(nowMs: number): Promise<LiveSim[]>;
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
  healthOf?: HealthOf,
): LiveSim[] {
  const byIccid = new Map<string, ModemSnapshot>();
  const byImsi = new Map<string, ModemSnapshot>();
  for (const snapshot of snapshots) {
    const iccid = snapshot.identity?.iccid;
    const imsi = snapshot.identity?.imsi;
    if (iccid) byIccid.set(normalizeIccid(iccid), snapshot);
    if (imsi) byImsi.set(imsi, snapshot);
  }
  const live: LiveSim[] = [];
  for (const sim of sims) {
    if (!sim.country || !sim.operator) continue;
    const modem = sim.iccid
      ? byIccid.get(normalizeIccid(sim.iccid))
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
      ...(modem && healthOf ? healthFieldsOf(healthOf(modem)) : {}),
    });
  }
  return live;
}

/**
 * The configured SIMs found in this host's modems (the ones it can receive for), for the farm
 * heartbeat. SIMs not in a local modem are left out: another host may have them.
 */
export function localSimRecords(
  sims: readonly SimConfigEntry[],
  snapshots: readonly ModemSnapshot[],
  defaultServices: readonly string[],
  healthOf?: HealthOf,
): LiveSimRecord[] {
  const records: LiveSimRecord[] = [];
  for (const snapshot of snapshots) {
    const iccid = snapshot.identity?.iccid ? normalizeIccid(snapshot.identity.iccid) : null;
    const imsi = snapshot.identity?.imsi ?? null;
    const sim = sims.find((s) =>
      s.iccid ? iccid !== null && normalizeIccid(s.iccid) === iccid : s.imsi !== undefined && s.imsi === imsi,
    );
    if (!sim?.country || !sim.operator) continue;
    records.push({
      simKey: sim.iccid ? normalizeIccid(sim.iccid) : `imsi:${sim.imsi}`,
      iccid,
      phone: sim.phone,
      country: sim.country,
      operator: sim.operator,
      services: sim.services ?? defaultServices,
      online: snapshot.state === 'ready',
      registered: snapshot.registered,
      ...(healthOf ? healthFieldsOf(healthOf(snapshot)) : {}),
    });
  }
  return records;
}

/**
 * The whole farm: this host's SIMs as its modems show them now, then the other hosts' as their
 * last heartbeat reported them. A phone this host sees live is never taken from a report.
 */
export function farmLiveSims(
  local: () => readonly LiveSim[],
  farm: FarmRegistry,
  clock: () => number,
): LiveSims {
  return {
    async liveSims() {
      const mine = local();
      const liveHere = new Set(mine.filter((s) => s.online && s.registered).map((s) => s.phone));
      const others = await farm.otherHostsSims(clock());
      return [...mine, ...others.filter((s) => !liveHere.has(s.phone))];
    },
  };
}
