import type { RentConfig } from '../config/rent-schema.js';
import type { Logger } from '../log.js';
import { RENT_SERVICE } from '../store/rent-store.js';
import type { ResellerStore } from '../store/reseller-store.js';
import { claimNumber, type NumberAnswer } from './claim-number.js';
import type { LiveSim, LiveSims } from './live-sims.js';

const DAY_MS = 86_400_000;

/** The rent settings the partner endpoint needs (`reseller.rent`). */
export type RentOptions = Pick<RentConfig, 'services' | 'maxDays' | 'defaultDays' | 'daysField'>;

export interface RentServiceDeps {
  store: ResellerStore;
  sims: LiveSims;
  log: Logger;
  options: RentOptions;
  now?: () => number;
}

/** GET_NUMBER (rent) as the endpoint parsed it (the ordinary fields, no service). */
export interface RentNumberRequest {
  country: string;
  operator: string;
  sum: number | null;
  exceptionPhoneSet?: readonly (string | number)[];
}

/** GET_NUMBER (rent) answers as GET_NUMBER does. */
export type RentNumberAnswer = NumberAnswer;

/** How long a GET_NUMBER (rent) asks for, or why its days field is refused. */
export type RentDays = { ok: true; days: number } | { ok: false; error: string };

/**
 * Long-term rent on the partner endpoint (onlinesim-reseller.md §7), free of HTTP. Every live SIM
 * may be rented, whatever services it sells: a rent takes the number, not a service. A rent is
 * an operation with service `rent`, so from GET_NUMBER (rent) until its end the SIM is busy for
 * activations, and a SIM in an activation is not rented.
 */
export class RentService {
  readonly #deps: RentServiceDeps;
  readonly #names: ReadonlySet<string>;
  readonly #now: () => number;

  constructor(deps: RentServiceDeps) {
    this.#deps = deps;
    this.#names = new Set(deps.options.services.map((s) => s.toLowerCase()));
    this.#now = deps.now ?? Date.now;
  }

  /** True when a call's `service` means rent (`reseller.rent.services`, `rent` by default). */
  isRentService(service: string | undefined): boolean {
    return service !== undefined && this.#names.has(service.trim().toLowerCase());
  }

  /** The SIMs as GET_SERVICES counts them: each also offers `rent` (§3 "Rent variant"). */
  offer(sims: readonly LiveSim[]): LiveSim[] {
    return sims.map((sim) =>
      sim.services.some((s) => s.toLowerCase() === RENT_SERVICE)
        ? sim
        : { ...sim, services: [...sim.services, RENT_SERVICE] },
    );
  }

  /**
   * The length of the rent: the body's `daysField` ([UNDOC], `days` by default) as a whole
   * number of days from 1 to `maxDays`, numeric strings accepted; `defaultDays` when absent.
   */
  daysOf(body: Readonly<Record<string, unknown>>): RentDays {
    const { daysField, defaultDays, maxDays } = this.#deps.options;
    const raw = body[daysField];
    if (raw === undefined || raw === null || raw === '') return { ok: true, days: defaultDays };
    const days = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
      return { ok: false, error: `${daysField}: must be a whole number of days, at least 1` };
    }
    if (days > maxDays) return { ok: false, error: `${daysField}: must be at most ${maxDays}` };
    return { ok: true, days };
  }

  /** GET_NUMBER (rent): rents the least recently used free SIM for `days`, or none. */
  async number(request: RentNumberRequest, days: number): Promise<RentNumberAnswer> {
    const nowMs = this.#now();
    return claimNumber(
      this.#deps.store,
      this.offer(await this.#deps.sims.liveSims()),
      { ...request, service: RENT_SERVICE, nowMs, rent: { days, expiresAtMs: nowMs + days * DAY_MS } },
      {
        log: this.#deps.log,
        fields: { days },
        none: 'GET_NUMBER (rent): no number',
        opened: 'GET_NUMBER (rent): rent opened',
      },
    );
  }
}
