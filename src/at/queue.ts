/**
 * First-in first-out queue of waiting commands. Items can leave from the middle when their
 * `AbortSignal` fires before their turn.
 */
export class CommandQueue<T> {
  readonly #items: T[] = [];

  get length(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Takes the oldest item, or undefined when empty. */
  shift(): T | undefined {
    return this.#items.shift();
  }

  /** Removes one item wherever it sits; true if it was queued. */
  remove(item: T): boolean {
    const index = this.#items.indexOf(item);
    if (index < 0) return false;
    this.#items.splice(index, 1);
    return true;
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): T[] {
    return this.#items.splice(0, this.#items.length);
  }
}
