import type { Logger } from '../log.js';
import type { FinishOutcome, FinishStatus, ResellerStore } from '../store/reseller-store.js';
import { claimNumber, type NumberAnswer } from './claim-number.js';
import { type CountryEntry, countServices } from './inventory.js';
import type { LiveSims } from './live-sims.js';
import type { RentService } from './rent-service.js';

export interface NumberRequest {
  country: string;
  operator: string;
  service: string;
  sum: number | null;
  exceptionPhoneSet?: readonly (string | number)[];
}

export type { NumberAnswer };

export interface FinishCall {
  activationId: number;
  status: FinishStatus;
  sum: number | null;
}

export interface ResellerServiceDeps {
  store: ResellerStore;
  sims: LiveSims;
  log: Logger;
  now?: () => number;
  /** Set when rent is served: GET_SERVICES then counts free SIMs under `rent` too. */
  rent?: RentService;
}

/**
 * The partner side of Onlinesim's v1 protocol (onlinesim-reseller.md §3-§5), free of HTTP: what
 * to count, which SIM to sell, how to close. Services are compared in lower case.
 */
export class ResellerService {
  readonly #store: ResellerStore;
  readonly #sims: LiveSims;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #rent: RentService | undefined;

  constructor(deps: ResellerServiceDeps) {
    this.#rent = deps.rent;
    this.#store = deps.store;
    this.#sims = deps.sims;
    this.#log = deps.log;
    this.#now = deps.now ?? Date.now;
  }

  /** GET_SERVICES: counts of SIMs free right now (§3). */
  async services(): Promise<CountryEntry[]> {
    const availability = await this.#store.availability();
    const sims = await this.#sims.liveSims();
    return countServices(this.#rent ? this.#rent.offer(sims) : sims, availability);
  }

  /** GET_NUMBER: sells the least recently used eligible SIM, or none (§4). */
  async number(request: NumberRequest): Promise<NumberAnswer> {
    const service = request.service.toLowerCase();
    return claimNumber(
      this.#store,
      await this.#sims.liveSims(),
      { ...request, service, nowMs: this.#now() },
      {
        log: this.#log,
        fields: { service },
        none: 'GET_NUMBER: no number',
        opened: 'GET_NUMBER: operation opened',
      },
    );
  }

  /** FINISH_ACTIVATION: closes the operation and records the verdict; idempotent (§5). */
  async finish(call: FinishCall): Promise<FinishOutcome> {
    const outcome = await this.#store.finishActivation({ ...call, nowMs: this.#now() });
    const fields = { activationId: call.activationId, status: call.status, sum: call.sum };
    switch (outcome.kind) {
      case 'closed':
        this.#log.info(
          { ...fields, phone: outcome.phone, service: outcome.service },
          'FINISH_ACTIVATION: closed',
        );
        break;
      case 'recorded':
        this.#log.info(
          { ...fields, phone: outcome.phone, service: outcome.service },
          'FINISH_ACTIVATION: verdict recorded for an operation already ended locally',
        );
        break;
      case 'repeated':
        this.#log.warn(
          { ...fields, previousStatus: outcome.previousStatus },
          'FINISH_ACTIVATION: repeated for a closed operation; answered SUCCESS',
        );
        break;
      case 'unknown':
        this.#log.warn(fields, 'FINISH_ACTIVATION: unknown activation id; answered SUCCESS');
        break;
    }
    return outcome;
  }
}
