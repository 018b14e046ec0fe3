import type { EmulatedFarm } from '../emulator/farm.js';
import { isGatewayError, toError } from '../errors.js';
import type { BridgeRepository } from '../store/repository.js';
import { DEMO_DEFAULTS } from './demo-config.js';
import { type Narrator, preview } from './narrator.js';
import { type DemoSms, demoSms } from './traffic.js';

/**
 * Opens one operation per SIM (as the admin API would: `source: 'admin'`), then injects the
 * demo's SMS on random modems on a timer. The SMS meant for a SIM without an operation ends that
 * SIM's operation first, and opens a new one once the store has kept the SMS as `no_operation`.
 */
export class TrafficInjector {
  readonly #farm: EmulatedFarm;
  readonly #repo: BridgeRepository;
  readonly #narrator: Narrator;
  readonly #random: () => number;
  /**
   * Slots that get no operation and no SMS: the demo's unconfirmed SIM (nothing would be pushed
   * for it) and its SIM off the network (no SMS reaches it).
   */
  readonly #skip: ReadonlySet<number>;
  /** Slot -> its active operation id. */
  readonly #operations = new Map<number, number>();
  /** Slots rented through the partner endpoint: SMS reach them, but no admin operation. */
  readonly #reserved = new Set<number>();
  /** Slots between "operation ended" and "new operation opened". */
  readonly #busy = new Set<number>();
  readonly #inFlight = new Set<Promise<void>>();
  #nextOperationId = 1001;
  #step = 0;
  #timer: NodeJS.Timeout | null = null;
  injected = 0;

  constructor(options: {
    farm: EmulatedFarm;
    repo: BridgeRepository;
    narrator: Narrator;
    random: () => number;
    skipSlots?: ReadonlySet<number>;
  }) {
    this.#farm = options.farm;
    this.#repo = options.repo;
    this.#narrator = options.narrator;
    this.#random = options.random;
    this.#skip = options.skipSlots ?? new Set();
  }

  #slots(): number[] {
    return this.#farm
      .describe()
      .map((m) => m.slot)
      .filter((slot) => !this.#skip.has(slot));
  }

  /** Keeps a slot out of admin operations (a rented SIM): opening one would end the rent. */
  reserve(slot: number): void {
    this.#reserved.add(slot);
  }

  /** Gives a reserved slot back (its rent was refused): it gets an operation like the others. */
  async release(slot: number): Promise<void> {
    if (this.#reserved.delete(slot)) await this.#open(slot);
  }

  async openOperations(): Promise<void> {
    for (const slot of this.#slots()) {
      if (!this.#reserved.has(slot)) await this.#open(slot);
    }
  }

  start(everyMs: number): void {
    this.#timer ??= setInterval(() => this.#tick(), everyMs);
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await Promise.allSettled([...this.#inFlight]);
  }

  #tick(): void {
    const free = this.#slots().filter((slot) => !this.#busy.has(slot));
    const sms = demoSms(this.#step, this.#random);
    // A rented SIM never goes without its operation: that SMS goes to another SIM.
    const candidates = sms.kind === 'no-operation' ? free.filter((s) => !this.#reserved.has(s)) : free;
    const slot = candidates[Math.floor(this.#random() * candidates.length)];
    if (slot === undefined) return;
    this.#step += 1;
    const work =
      sms.kind === 'no-operation' ? this.#toSimWithoutOperation(slot, sms) : this.#inject(slot, sms);
    const tracked = work.catch((err: unknown) =>
      this.#narrator.say('error', `injecting on slot ${slot} failed: ${toError(err).message}`),
    );
    this.#inFlight.add(tracked);
    void tracked.finally(() => this.#inFlight.delete(tracked));
  }

  async #inject(slot: number, sms: DemoSms): Promise<void> {
    const modem = this.#farm.modem(slot);
    const pdus = await modem.injectSms({ sender: sms.sender, text: sms.text });
    this.injected += 1;
    const parts = pdus.length > 1 ? ` [${pdus.length} parts]` : '';
    const note = sms.kind === 'denied' ? ' (a bank: on the deny-list)' : '';
    this.#narrator.say(
      'sms',
      `-> ${modem.name} (${modem.profile.name}, ${modem.identity.phoneNumber}) from ${sms.sender}: ${preview(sms.text, 48)}${parts}${note}`,
    );
  }

  async #toSimWithoutOperation(slot: number, sms: DemoSms): Promise<void> {
    this.#busy.add(slot);
    try {
      const phone = this.#phone(slot);
      const operationId = this.#operations.get(slot);
      if (operationId !== undefined) {
        await this.#repo.endOperation(operationId);
        this.#operations.delete(slot);
        this.#narrator.say(
          'ops',
          `operation ${operationId} on ${phone} ended: this SIM has no operation now`,
        );
      }
      const before = await this.#noOperationCount(phone);
      await this.#inject(slot, sms);
      const deadline = Date.now() + DEMO_DEFAULTS.noOperationWaitMs;
      while (
        this.#timer !== null &&
        Date.now() < deadline &&
        (await this.#noOperationCount(phone)) === before
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (this.#timer !== null) await this.#open(slot);
    } finally {
      this.#busy.delete(slot);
    }
  }

  async #noOperationCount(phone: string): Promise<number> {
    const kept = await this.#repo.listMessages({ status: 'no_operation', limit: 1000 });
    return kept.filter((m) => m.phone === phone).length;
  }

  async #open(slot: number): Promise<void> {
    const phone = this.#phone(slot);
    let id = this.#nextOperationId;
    // The rent took an id from the same sequence: step over ids the store already used.
    for (;;) {
      this.#nextOperationId = id + 1;
      try {
        await this.#repo.createOperation({ id, phone, service: 'instagram', source: 'admin' });
        break;
      } catch (err) {
        if (!isGatewayError(err) || err.code !== 'STORE_OPERATION_ID_USED') throw err;
        id += 1;
      }
    }
    this.#operations.set(slot, id);
    const modem = this.#farm.modem(slot);
    this.#narrator.say(
      'ops',
      `operation ${id} (instagram) active on ${phone}, ${modem.name} (${modem.profile.name})`,
    );
  }

  #phone(slot: number): string {
    return this.#farm.modem(slot).identity.phoneNumber.replace(/^\+/, '');
  }
}
