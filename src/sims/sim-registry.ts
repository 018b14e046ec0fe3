import { normalizeIccid } from '../config/iccid.js';
import type { SimConfig } from '../config/schema.js';
import { type SimDirectory, simDirectory } from '../config/sim-directory.js';
import type { OperatorConfig } from '../config/sims-schema.js';
import { GatewayError } from '../errors.js';
import type { SimConfigEntry } from '../reseller/live-sims.js';
import type { DiscoveredSimRow, DiscoveredSource, SimNumberStore } from '../store/sim-number-store.js';

/**
 * Every SIM the bridge knows and what it knows of each: its number and where the number came
 * from (the config's `sims` list always wins, then `AT+CNUM`, then the operator's USSD code),
 * whether the number is confirmed, and its latest balance. The one place that decides which
 * SIMs may be offered to Onlinesim: config SIMs, and discovered ones once confirmed (or with
 * `sims.autoConfirm`) whose operator is known.
 *
 * SIM health reads the balance through {@link SimBalanceSource}.
 */

export type NumberSource = 'config' | DiscoveredSource;

/** One SIM as `simbridge sims` and `GET /api/sims` show it. */
export interface SimView {
  iccid: string;
  imsi: string | null;
  /** The modem slot holding it now, null when it is in none. */
  port: string | null;
  /** E.164 digits, no `+`; null while not found. */
  phone: string | null;
  source: NumberSource | null;
  /** Config SIMs are confirmed by definition; discovered ones once the operator says so. */
  confirmed: boolean;
  /** Offered to Onlinesim (confirmed, with a country and an operator). */
  offered: boolean;
  operator: string | null;
  country: string | null;
  /** Latest balance (RUB), null when never read or unreadable. */
  balance: number | null;
  balanceAtMs: number | null;
  /** Why the number or balance could not be read, when the last try failed. */
  problem: string | null;
}

/** What SIM health reads: the latest balance per ICCID, to compare with `sims.minBalance`. */
export interface SimBalanceSource {
  /** Latest balance (RUB) of the SIM, null when never read or unreadable; any ICCID form. */
  balanceOf(iccid: string): number | null;
}

/** A SIM present in a modem, as a snapshot shows it. */
export interface PresentSim {
  port: string;
  iccid: string | null;
  imsi: string | null;
}

export interface SimRegistryOptions {
  sims: readonly SimConfig[];
  operators: Readonly<Record<string, OperatorConfig>>;
  autoConfirm: boolean;
  /** Services of a discovered SIM whose operator names none (`reseller.services`). */
  defaultServices: readonly string[];
  store: SimNumberStore;
  clock?: () => number;
}

/** `confirm` of a SIM with no number found yet (and not in the config). */
export class SimNotFoundError extends GatewayError {
  constructor(iccid: string) {
    super('BRIDGE_SIM_NOT_FOUND', `no number is known for SIM ${iccid} (not in sims, none discovered)`, {
      context: { iccid },
    });
  }
}

export class SimRegistry implements SimBalanceSource {
  readonly #options: SimRegistryOptions;
  readonly #config: SimDirectory;
  readonly #clock: () => number;
  readonly #discovered = new Map<string, DiscoveredSimRow>();
  readonly #balances = new Map<string, { value: number | null; atMs: number }>();
  readonly #problems = new Map<string, string>();
  /** SIMs seen in a modem, by ICCID, with the IMSI read there (for operator matching). */
  readonly #seen = new Map<string, string | null>();

  constructor(options: SimRegistryOptions) {
    this.#options = options;
    this.#config = simDirectory({ sims: [...options.sims] });
    this.#clock = options.clock ?? Date.now;
  }

  /**
   * Reads the discovered numbers and confirmations from the store: at start, and periodically on
   * a shared store, where another host may have found or confirmed a number.
   */
  async load(): Promise<void> {
    for (const row of await this.#options.store.listDiscovered()) this.#discovered.set(row.iccid, row);
  }

  /** The config entry of a SIM, if the `sims` list has it (by ICCID, else IMSI). */
  configured(sim: { iccid: string | null; imsi: string | null }): SimConfig | undefined {
    const phone = this.#config.phoneFor(sim);
    return phone === null ? undefined : this.#config.simByPhone(phone);
  }

  /** The `operators:` entry whose IMSI prefix the SIM's IMSI starts with (the longest wins). */
  operatorOf(imsi: string | null): { name: string; operator: OperatorConfig } | null {
    if (imsi === null) return null;
    let best: { name: string; operator: OperatorConfig; length: number } | null = null;
    for (const [name, operator] of Object.entries(this.#options.operators)) {
      for (const prefix of operator.imsiPrefixes) {
        if (imsi.startsWith(prefix) && (best === null || prefix.length > best.length)) {
          best = { name, operator, length: prefix.length };
        }
      }
    }
    return best && { name: best.name, operator: best.operator };
  }

  /** The discovered row of a SIM, if any. */
  discovered(iccid: string): DiscoveredSimRow | undefined {
    return this.#discovered.get(normalizeIccid(iccid));
  }

  /** Notes a SIM in a modem (so `list` shows it before any number is known). */
  noteSeen(iccid: string, imsi: string | null): void {
    this.#seen.set(normalizeIccid(iccid), imsi);
  }

  /** Stores a number found by the SIM; a config SIM's is ignored (the config wins). */
  async recordDiscovered(sim: {
    iccid: string;
    imsi: string | null;
    phone: string;
    source: DiscoveredSource;
  }) {
    if (this.configured(sim)) return null;
    const iccid = normalizeIccid(sim.iccid);
    const row = await this.#options.store.saveDiscovered({
      iccid,
      imsi: sim.imsi,
      phone: sim.phone,
      source: sim.source,
      operator: this.operatorOf(sim.imsi)?.name ?? null,
      discoveredAtMs: this.#clock(),
    });
    this.#discovered.set(iccid, row);
    this.#problems.delete(iccid);
    return row;
  }

  /** Confirms a discovered number (`simbridge sims confirm`); a config SIM is confirmed already. */
  async confirm(iccidInput: string): Promise<SimView> {
    const iccid = normalizeIccid(iccidInput.trim());
    if (!this.configured({ iccid, imsi: null })) {
      if (!this.#discovered.has(iccid) || !(await this.#options.store.confirm(iccid, this.#clock()))) {
        throw new SimNotFoundError(iccid);
      }
      const row = this.#discovered.get(iccid);
      if (row) this.#discovered.set(iccid, { ...row, confirmedAtMs: row.confirmedAtMs ?? this.#clock() });
    }
    const view = this.list([]).find((sim) => sim.iccid === iccid);
    if (!view) throw new SimNotFoundError(iccid);
    return view;
  }

  setBalance(iccid: string, value: number | null): void {
    this.#balances.set(normalizeIccid(iccid), { value, atMs: this.#clock() });
  }

  setProblem(iccid: string, problem: string | null): void {
    if (problem === null) this.#problems.delete(normalizeIccid(iccid));
    else this.#problems.set(normalizeIccid(iccid), problem);
  }

  balanceOf(iccid: string): number | null {
    return this.#balances.get(normalizeIccid(iccid))?.value ?? null;
  }

  /** When the balance was last read (or tried), null when never. */
  balanceReadAtMs(iccid: string): number | null {
    return this.#balances.get(normalizeIccid(iccid))?.atMs ?? null;
  }

  /** The phone to stamp on a SIM's messages: the config's, else a confirmed discovered one. */
  phoneFor(sim: { iccid: string | null | undefined; imsi: string | null | undefined }): string | null {
    const configured = this.#config.phoneFor(sim);
    if (configured !== null || !sim.iccid) return configured;
    const row = this.#discovered.get(normalizeIccid(sim.iccid.trim()));
    return row && this.#isConfirmed(row) && !this.#config.simByPhone(row.phone) ? row.phone : null;
  }

  /** A phone an operation may be opened on: a config SIM's or a confirmed discovered one's. */
  isKnownPhone(phone: string): boolean {
    return this.offeredSims().some((sim) => sim.phone === phone);
  }

  /**
   * The SIMs that may be offered to Onlinesim, as `joinLiveSims` takes them: the config list,
   * then every confirmed discovered SIM with a known operator whose phone no config SIM has.
   */
  offeredSims(): SimConfigEntry[] {
    const offered: SimConfigEntry[] = [...this.#options.sims];
    const phones = new Set(offered.map((sim) => sim.phone));
    for (const row of this.#discovered.values()) {
      const entry = this.#offerEntry(row);
      // Two SIMs reporting one number: only the first is offered (a phone is one SIM, §2).
      if (entry && !phones.has(entry.phone)) {
        phones.add(entry.phone);
        offered.push(entry);
      }
    }
    return offered;
  }

  /** Every SIM: config ones, discovered ones and any other seen in a modem, joined with `present`. */
  list(present: readonly PresentSim[]): SimView[] {
    const portOf = new Map<string, string>();
    for (const sim of present) if (sim.iccid) portOf.set(normalizeIccid(sim.iccid), sim.port);
    const views = new Map<string, SimView>();
    const base = (iccid: string, imsi: string | null): SimView => ({
      iccid,
      imsi,
      port: portOf.get(iccid) ?? null,
      phone: null,
      source: null,
      confirmed: false,
      offered: false,
      operator: null,
      country: null,
      balance: this.balanceOf(iccid),
      balanceAtMs: this.balanceReadAtMs(iccid),
      problem: this.#problems.get(iccid) ?? null,
    });
    for (const sim of this.#options.sims) {
      const iccid = sim.iccid ? normalizeIccid(sim.iccid) : `imsi:${sim.imsi}`;
      views.set(iccid, {
        ...base(iccid, sim.imsi ?? null),
        phone: sim.phone,
        source: 'config',
        confirmed: true,
        offered: sim.country !== undefined && sim.operator !== undefined,
        operator: sim.operator ?? null,
        country: sim.country ?? null,
      });
    }
    for (const row of this.#discovered.values()) {
      if (views.has(row.iccid)) continue;
      const name = this.#operatorName(row);
      const operator = name === null ? undefined : this.#options.operators[name];
      views.set(row.iccid, {
        ...base(row.iccid, row.imsi),
        phone: row.phone,
        source: row.source,
        confirmed: this.#isConfirmed(row),
        offered: this.#offerEntry(row) !== null,
        operator: name,
        country: operator?.country ?? null,
      });
    }
    const seen = [...this.#seen.entries(), ...present.map((p) => [p.iccid, p.imsi] as const)];
    for (const [rawIccid, imsi] of seen) {
      if (!rawIccid) continue;
      const iccid = normalizeIccid(rawIccid);
      if (views.has(iccid) || this.configured({ iccid, imsi })) continue;
      const match = this.operatorOf(imsi);
      views.set(iccid, {
        ...base(iccid, imsi),
        operator: match?.name ?? null,
        country: match?.operator.country ?? null,
      });
    }
    return [...views.values()];
  }

  #isConfirmed(row: DiscoveredSimRow): boolean {
    return row.confirmedAtMs !== null || this.#options.autoConfirm;
  }

  /** The operator of a discovered SIM by its IMSI now (the config may have changed), else as stored. */
  #operatorName(row: DiscoveredSimRow): string | null {
    return this.operatorOf(row.imsi)?.name ?? row.operator;
  }

  #offerEntry(row: DiscoveredSimRow): SimConfigEntry | null {
    const name = this.#operatorName(row);
    if (!this.#isConfirmed(row) || name === null) return null;
    const operator = this.#options.operators[name];
    if (!operator || this.#config.simByPhone(row.phone)) return null;
    return {
      iccid: row.iccid,
      phone: row.phone,
      country: operator.country,
      operator: name,
      services: operator.services ?? this.#options.defaultServices,
    };
  }
}
