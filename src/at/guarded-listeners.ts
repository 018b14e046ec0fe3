/**
 * A set of listeners where one that throws is logged and the others still run.
 *
 * Moved out of engine.ts: the engine calls listeners from inside its read path, where a throw
 * would break line routing for every later command, so each call is guarded the same way.
 */
import type { Logger } from '../log.js';

export class GuardedListeners<T> {
  readonly #listeners = new Set<(value: T) => void>();
  /** Names the listener kind in the warning, e.g. "unhandled-line". */
  readonly #kind: string;

  constructor(kind: string) {
    this.#kind = kind;
  }

  /** Adds `listener`; the returned function removes it. */
  add(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls every listener with `value`; a throw is logged as a warning and goes no further. */
  emit(value: T, log: Logger): void {
    for (const listener of this.#listeners) {
      try {
        listener(value);
      } catch (err) {
        log.warn({ err }, `${this.#kind} listener threw`);
      }
    }
  }
}
