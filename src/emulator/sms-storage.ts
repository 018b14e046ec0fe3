import type { StoredMessage } from './types.js';

/** Storage names of TS 27.005 §3.2.2 the emulator knows. "MT" is SM and ME seen as one. */
export type StorageName = 'SM' | 'ME' | 'MT';

export const STORAGE_NAMES: readonly StorageName[] = ['SM', 'ME', 'MT'];

export function isStorageName(value: string): value is StorageName {
  return (STORAGE_NAMES as readonly string[]).includes(value);
}

interface Slot {
  pdu: string;
  status: StoredMessage['status'];
  storedAtMs: number;
}

/**
 * The message memories of one modem: "SM" (the SIM, small) and "ME" (the phone memory).
 * Indices are printed from `firstIndex` (0 on Huawei, 1 elsewhere). "MT" numbers SM slots first
 * and ME slots after them, like most firmware does. The SIM keeps its content across resets,
 * unplug and replug: only `clearAll()` empties it.
 */
export class SmsStorage {
  readonly #firstIndex: number;
  readonly #slots: { SM: (Slot | null)[]; ME: (Slot | null)[] };

  constructor(options: { simCapacity: number; meCapacity: number; firstIndex: 0 | 1 }) {
    this.#firstIndex = options.firstIndex;
    this.#slots = {
      SM: new Array<Slot | null>(options.simCapacity).fill(null),
      ME: new Array<Slot | null>(options.meCapacity).fill(null),
    };
  }

  get firstIndex(): number {
    return this.#firstIndex;
  }

  capacity(name: StorageName): number {
    if (name === 'MT') return this.#slots.SM.length + this.#slots.ME.length;
    return this.#slots[name].length;
  }

  used(name: StorageName): number {
    if (name === 'MT') return this.used('SM') + this.used('ME');
    return this.#slots[name].filter((slot) => slot !== null).length;
  }

  /** Changes a capacity; messages beyond the new size stay readable until deleted. */
  setCapacity(name: 'SM' | 'ME', capacity: number): void {
    const slots = this.#slots[name];
    if (capacity >= slots.length) {
      while (slots.length < capacity) slots.push(null);
      return;
    }
    while (slots.length > capacity && slots[slots.length - 1] === null) slots.pop();
  }

  /** Stores into the first free slot of `name`; returns null when full. */
  store(name: StorageName, pdu: string, status: StoredMessage['status'], atMs: number): StoredMessage | null {
    const order: ('SM' | 'ME')[] = name === 'MT' ? ['SM', 'ME'] : [name];
    for (const memory of order) {
      const slots = this.#slots[memory];
      const free = slots.indexOf(null);
      if (free === -1) continue;
      slots[free] = { pdu, status, storedAtMs: atMs };
      return this.#view(memory, free, slots[free] as Slot);
    }
    return null;
  }

  /** Message at a printed index of `name`, or null when empty / out of range. */
  read(name: StorageName, index: number): StoredMessage | null {
    const located = this.#locate(name, index);
    if (!located) return null;
    const slot = this.#slots[located.memory][located.offset];
    return slot ? this.#view(located.memory, located.offset, slot) : null;
  }

  /** True when `index` is a valid slot number of `name` (empty or not). */
  isValidIndex(name: StorageName, index: number): boolean {
    return this.#locate(name, index) !== null;
  }

  setStatus(name: StorageName, index: number, status: StoredMessage['status']): void {
    const located = this.#locate(name, index);
    const slot = located ? this.#slots[located.memory][located.offset] : null;
    if (slot) slot.status = status;
  }

  /** Removes one message; returns it, or null when the slot was empty. */
  delete(name: StorageName, index: number): StoredMessage | null {
    const located = this.#locate(name, index);
    if (!located) return null;
    const slots = this.#slots[located.memory];
    const slot = slots[located.offset];
    if (!slot) return null;
    slots[located.offset] = null;
    return this.#view(located.memory, located.offset, slot);
  }

  /** Messages of `name` in index order (for MT: SM then ME). */
  list(name: StorageName): StoredMessage[] {
    const memories: ('SM' | 'ME')[] = name === 'MT' ? ['SM', 'ME'] : [name];
    const out: StoredMessage[] = [];
    for (const memory of memories) {
      this.#slots[memory].forEach((slot, offset) => {
        if (slot) out.push(this.#view(memory, offset, slot));
      });
    }
    return out;
  }

  /** Printed index of a message of `memory` when listed through `name` (MT shifts ME). */
  indexIn(name: StorageName, message: StoredMessage): number {
    if (name === 'MT' && message.storage === 'ME') return message.index + this.#slots.SM.length;
    return message.index;
  }

  clearAll(): void {
    this.#slots.SM.fill(null);
    this.#slots.ME.fill(null);
  }

  #locate(name: StorageName, index: number): { memory: 'SM' | 'ME'; offset: number } | null {
    if (!Number.isInteger(index)) return null;
    let offset = index - this.#firstIndex;
    let memory: 'SM' | 'ME' = name === 'ME' ? 'ME' : 'SM';
    if (name === 'MT' && offset >= this.#slots.SM.length) {
      memory = 'ME';
      offset -= this.#slots.SM.length;
    }
    if (offset < 0 || offset >= this.#slots[memory].length) return null;
    return { memory, offset };
  }

  #view(memory: 'SM' | 'ME', offset: number, slot: Slot): StoredMessage {
    return {
      storage: memory,
      index: offset + this.#firstIndex,
      pdu: slot.pdu,
      status: slot.status,
      storedAtMs: slot.storedAtMs,
    };
  }
}
