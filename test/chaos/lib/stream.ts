import type { BenchRig } from '../../bench/lib/bench-rig.js';
import { InjectionTracker } from '../../bench/lib/injection-tracker.js';
import { injectOne, type LoadContext } from '../../bench/lib/load-phases.js';
import { MessageFactory } from '../../bench/lib/message-stream.js';
import { delay } from '../../integration/support/wait.js';
import { tally } from './tally.js';

/** A steady stream of tagged SMS over every modem of a rig, for the chaos runs. */
export class ChaosStream {
  readonly keys: number[] = [];
  /** Slot of each key. */
  readonly slotOf = new Map<number, number>();
  readonly #rig: BenchRig;
  readonly #context: LoadContext;

  constructor(rig: BenchRig, seed = 5) {
    this.#rig = rig;
    this.#context = {
      farm: rig.farm,
      factory: new MessageFactory(seed),
      tracker: new InjectionTracker(rig.farm),
    };
  }

  /** Injects `count` messages at `ratePerS`, round-robin over the modems; `onTick` sees the time. */
  async run(count: number, ratePerS: number, onTick?: (elapsedMs: number) => void): Promise<void> {
    const start = Date.now();
    let slot = 0;
    const target = this.keys.length + count;
    while (this.keys.length < target) {
      const elapsed = Date.now() - start;
      onTick?.(elapsed);
      const due = Math.min(target, target - count + Math.floor((elapsed / 1000) * ratePerS) + 1);
      while (this.keys.length < due) {
        const key = injectOne(this.#context, slot);
        this.keys.push(key);
        this.slotOf.set(key, slot);
        slot = (slot + 1) % this.#rig.farm.size;
      }
      await delay(10);
    }
  }

  /** The text injected under `key`. */
  textOf(key: number): string | undefined {
    return this.#context.tracker.textOf(key);
  }

  /** Waits until every key in `keys` was answered 200, or `limitMs` passed. */
  async drain(keys: readonly number[], limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline && tally(keys, this.#rig.pushes).lost.length > 0) await delay(200);
  }
}
