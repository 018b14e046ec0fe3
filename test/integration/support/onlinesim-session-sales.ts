import { expect } from 'vitest';
import {
  DEFAULT_OFFERED_SUM,
  type NumberAnswer,
  type NumberOrder,
  type ScriptedResellerClient,
} from './onlinesim-script-client.js';
import { type FarmModel, flattenServices, type ModelSim, sortedObject } from './onlinesim-script-model.js';

export type Sold = { phone: string; activationId: number };

/**
 * The scripted Onlinesim session's side of each sale: every GET_NUMBER answer checked against
 * the model of what is free, and every activationId recorded so none is issued twice.
 * Kept apart from the session test so the test file reads as the script of calls.
 */
export class SessionSales {
  /** Every activationId issued, in the order the answers came. */
  readonly issued: number[] = [];
  readonly #client: ScriptedResellerClient;
  readonly #model: FarmModel;

  constructor(client: ScriptedResellerClient, model: FarmModel) {
    this.#client = client;
    this.#model = model;
  }

  /** GET_SERVICES must equal the model's counts; returns them. */
  async expectServicesMatchModel(): Promise<Map<string, number>> {
    const counts = flattenServices(await this.#client.getServices());
    expect(sortedObject(counts)).toEqual(sortedObject(this.#model.expectedCounts()));
    return counts;
  }

  /** The admin API's earnings, in total and per service, must equal the model's verdicts. */
  async expectEarningsMatchModel(adminUrl: string): Promise<void> {
    const response = await fetch(`${adminUrl}/api/earnings`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      byService: ({ service: string } & Record<string, number>)[];
      total: Record<string, number>;
    };
    const expected = this.#model.earnings();
    expect(report.total).toEqual(expected.total);
    const byService = Object.fromEntries(report.byService.map(({ service, ...totals }) => [service, totals]));
    expect(byService).toEqual(expected.byService);
  }

  /** Checks a SUCCESS against the SIMs that could take the order, and records the operation. */
  accept(order: NumberOrder, answer: NumberAnswer, eligible: readonly ModelSim[]): Sold {
    if (answer.status !== 'SUCCESS') throw new Error(`expected SUCCESS, got ${JSON.stringify(answer)}`);
    expect(typeof answer.number).toBe('number');
    const phone = String(answer.number);
    expect(eligible.map((s) => s.phone)).toContain(phone);
    expect(Number.isInteger(answer.activationId) && answer.activationId >= 1).toBe(true);
    expect(this.issued).not.toContain(answer.activationId);
    this.issued.push(answer.activationId);
    this.#model.open(answer.activationId, phone, order.service, order.sum ?? DEFAULT_OFFERED_SUM);
    return { phone, activationId: answer.activationId };
  }

  /** GET_NUMBER for `order`, which must succeed on one of the SIMs the model says are eligible. */
  async sell(order: NumberOrder): Promise<Sold> {
    const eligible = this.#model.eligible(order);
    return this.accept(order, await this.#client.getNumber(order), eligible);
  }
}
