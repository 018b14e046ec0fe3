import type { DiscoveredSimRow, SimNumberStore } from '../../src/store/sim-number-store.js';

/** `SimNumberStore` in memory, with the same rules as the SQL backends. */
export class MemorySimStore implements SimNumberStore {
  readonly rows = new Map<string, DiscoveredSimRow>();

  async listDiscovered(): Promise<DiscoveredSimRow[]> {
    return [...this.rows.values()];
  }

  async saveDiscovered(sim: Omit<DiscoveredSimRow, 'confirmedAtMs'>): Promise<DiscoveredSimRow> {
    const old = this.rows.get(sim.iccid);
    const same = old?.phone === sim.phone;
    const row: DiscoveredSimRow = {
      ...sim,
      discoveredAtMs: same && old ? old.discoveredAtMs : sim.discoveredAtMs,
      confirmedAtMs: same && old ? old.confirmedAtMs : null,
    };
    this.rows.set(sim.iccid, row);
    return row;
  }

  async confirm(iccid: string, atMs: number): Promise<boolean> {
    const row = this.rows.get(iccid);
    if (!row) return false;
    row.confirmedAtMs ??= atMs;
    return true;
  }
}
