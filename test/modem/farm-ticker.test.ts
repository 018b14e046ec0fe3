import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FarmTicker } from '../../src/modem/farm-ticker.js';

describe('FarmTicker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs every member once per period, a group per tick', async () => {
    const ticker = new FarmTicker(2_000, 4);
    const runs: Array<[number, number]> = [];
    for (let member = 0; member < 8; member += 1) ticker.add(() => runs.push([member, Date.now()]));
    await vi.advanceTimersByTimeAsync(500);
    // The first tick runs one group: two of the eight members, together.
    expect(runs.map(([m]) => m)).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(new Set(runs.map(([m]) => m)).size).toBe(8);
    expect(runs).toHaveLength(8);
    await vi.advanceTimersByTimeAsync(4_000);
    // Each member again every 2 s exactly: its runs are a period apart.
    for (let member = 0; member < 8; member += 1) {
      const times = runs.filter(([m]) => m === member).map(([, at]) => at);
      expect(times).toHaveLength(3);
      expect(times[1]! - times[0]!).toBe(2_000);
      expect(times[2]! - times[1]!).toBe(2_000);
    }
    ticker.stop();
  });

  it('runs a newly added member within one period', async () => {
    const ticker = new FarmTicker(2_000, 4);
    ticker.add(() => {});
    await vi.advanceTimersByTimeAsync(1_250);
    let ranAt: number | null = null;
    const start = Date.now();
    ticker.add(() => {
      ranAt ??= Date.now();
    });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ranAt).not.toBeNull();
    expect(ranAt! - start).toBeLessThanOrEqual(2_000);
    ticker.stop();
  });

  it('keeps groups balanced as members leave and join', async () => {
    const ticker = new FarmTicker(1_000, 2);
    const counts = [0, 0, 0, 0];
    const removers = counts.map((_, i) => ticker.add(() => (counts[i]! += 1)));
    // Members 0 and 2 share a group; removing both leaves that group empty for the next one.
    removers[0]!();
    removers[2]!();
    let newcomer = 0;
    ticker.add(() => (newcomer += 1));
    const perTick: number[] = [];
    let before = 0;
    for (let tick = 0; tick < 2; tick += 1) {
      await vi.advanceTimersByTimeAsync(500);
      const total = counts.reduce((a, b) => a + b, 0) + newcomer;
      perTick.push(total - before);
      before = total;
    }
    // Group 0 holds the newcomer alone, group 1 members 1 and 3.
    expect(perTick).toEqual([1, 2]);
    expect(newcomer).toBe(1);
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    ticker.stop();
  });

  it('stops its timer when the last member leaves, and a member may remove itself while running', async () => {
    const ticker = new FarmTicker(1_000, 1);
    let runs = 0;
    const remove = ticker.add(() => {
      runs += 1;
      remove();
    });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(1);
    expect(ticker.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a period or group count that would never tick', () => {
    expect(() => new FarmTicker(0)).toThrow(RangeError);
    expect(() => new FarmTicker(1_000, 0)).toThrow(RangeError);
  });
});
