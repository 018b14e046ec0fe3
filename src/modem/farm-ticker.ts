/**
 * One timer for a task that every modem of the farm runs on the same period (the storage
 * check, every 2 s per modem). With a timer per modem, 64 modems wake the event loop 32 times
 * a second, each time for one command, and each answer then arrives alone; here the modems are
 * split into `groups` and one interval of `periodMs / groups` runs one group per tick, so the
 * commands of a group go out together and their answers are read in the same loop turns.
 *
 * ```
 *  periodMs = 2000, groups = 4:   tick 0 ─ group 0   tick 1 ─ group 1   …   tick 4 ─ group 0
 *                                 0 ms                500 ms                  2000 ms
 * ```
 *
 * Every member still runs once per `periodMs`; a member added between ticks waits at most
 * `periodMs` for its first run. Groups stay balanced as members come and go (each new member
 * joins the smallest group), so no tick carries more than its share of the farm.
 */
export class FarmTicker {
  readonly periodMs: number;
  readonly #groups: Array<Set<() => void>>;
  #timer: ReturnType<typeof setInterval> | null = null;
  #tick = 0;

  constructor(periodMs: number, groups = 4) {
    if (!(periodMs > 0) || !Number.isInteger(groups) || groups < 1) {
      throw new RangeError(`FarmTicker needs periodMs > 0 and groups >= 1 (got ${periodMs}, ${groups})`);
    }
    this.periodMs = periodMs;
    this.#groups = Array.from({ length: groups }, () => new Set<() => void>());
  }

  /** Runs `task` once per period from now on; returns a function that removes it. */
  add(task: () => void): () => void {
    // A wrapper per registration, so the same function added twice is two members.
    const member = (): void => task();
    const group = this.#groups.reduce((smallest, g) => (g.size < smallest.size ? g : smallest));
    group.add(member);
    this.#timer ??= setInterval(() => this.#run(), this.periodMs / this.#groups.length);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      group.delete(member);
      if (this.size === 0) this.stop();
    };
  }

  /** Members registered now. */
  get size(): number {
    return this.#groups.reduce((sum, g) => sum + g.size, 0);
  }

  /** Stops the timer (members stay registered; the next `add` starts it again). */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #run(): void {
    const group = this.#groups[this.#tick % this.#groups.length];
    this.#tick += 1;
    if (group === undefined) return;
    // A copy: a task may remove itself (its modem stopped) while the group runs.
    for (const member of [...group]) member();
  }
}
