import { describe, expect, it } from 'vitest';
import { demoSlots } from '../../src/demo/demo-slots.js';

describe('demo slots', () => {
  it('never puts two parts on one SIM and always leaves slot 0 for activations', () => {
    for (let modems = 1; modems <= 64; modems++) {
      const parts = Object.values(demoSlots(modems)).filter((slot): slot is number => slot !== null);
      expect(new Set(parts).size, `${modems} modems`).toBe(parts.length);
      for (const slot of parts) {
        expect(slot, `${modems} modems`).toBeGreaterThan(0);
        expect(slot, `${modems} modems`).toBeLessThan(modems);
      }
    }
  });

  it('shows all three parts from 4 modems on, and drops them one by one below', () => {
    expect(demoSlots(4)).toEqual({ rent: 3, unconfirmed: 2, unhealthy: 1 });
    expect(demoSlots(5)).toEqual({ rent: 4, unconfirmed: 3, unhealthy: 2 });
    expect(demoSlots(3)).toEqual({ rent: 2, unconfirmed: 1, unhealthy: null });
    expect(demoSlots(2)).toEqual({ rent: 1, unconfirmed: null, unhealthy: null });
    expect(demoSlots(1)).toEqual({ rent: null, unconfirmed: null, unhealthy: null });
  });
});
