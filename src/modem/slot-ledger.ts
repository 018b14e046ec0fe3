/**
 * Tells whether a storage slot may have changed since a listing of it was taken, without
 * clocks. Every listing and every delete draws a ticket at the moment it is queued. The AT
 * queue is first-in first-out and the modem runs one command at a time, so ticket order is the
 * order the modem executed them in:
 *
 * - a delete queued before the listing ran before it: the listing already shows whatever the
 *   slot holds now (a newer message in a reused slot is simply listed, and must be read);
 * - a delete queued after the listing may have emptied the slot since, and a newer message may
 *   fill it at any moment: the listed entry is stale and acting on it could delete a message
 *   nobody accepted. The next listing sees the slot as it is.
 */
export class SlotLedger {
  #tickets = 0;
  /** Per index, the ticket of its latest delete. */
  readonly #deletes = new Map<number, number>();

  /** Call right before the listing command is queued; returns its ticket. */
  listing(): number {
    this.#tickets += 1;
    return this.#tickets;
  }

  /** Call right before `AT+CMGD=<index>` is queued. */
  deleting(index: number): void {
    this.#tickets += 1;
    this.#deletes.set(index, this.#tickets);
  }

  /** True when a delete of `index` was queued after the listing with ticket `listing`. */
  changedSince(index: number, listing: number): boolean {
    return (this.#deletes.get(index) ?? 0) > listing;
  }
}
