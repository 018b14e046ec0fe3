/**
 * Queue of waiting commands, first in first out within each of two classes: foreground work
 * (everything the SMS path sends) always leaves before background work (USSD balance and number
 * queries), so a background request never makes an SMS read wait behind it. Items can leave from
 * the middle when their `AbortSignal` fires before their turn.
 */
export class CommandQueue<T> {
  readonly #items: T[] = [];
  readonly #isBackground: (item: T) => boolean;

  /** `isBackground` says which items wait until no foreground item is queued. */
  constructor(isBackground: (item: T) => boolean = () => false) {
    this.#isBackground = isBackground;
  }

  get length(): number {
    return this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Takes the oldest foreground item, else the oldest background one, or undefined when empty. */
  shift(): T | undefined {
    const index = this.#items.findIndex((item) => !this.#isBackground(item));
    if (index < 0) return this.#items.shift();
    return this.#items.splice(index, 1)[0];
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
