/**
 * Which emulated modem plays which part in `simbridge demo`, in one place so that no two parts
 * fall on one SIM and at least one SIM is left for activations:
 *
 * - `rent`: the last slot, rented by Onlinesim through the partner endpoint (2 modems or more);
 * - `unconfirmed`: the one before, left out of `sims` so it finds its own number and waits for
 *   confirmation (3 modems or more);
 * - `unhealthy`: the one before that, taken off the network (4 modems or more).
 *
 * The slots left (at least slot 0) carry the activations. With 4 modems (the default) all three
 * parts show, next to one activation SIM; with 5, next to two.
 */
export interface DemoSlots {
  rent: number | null;
  unconfirmed: number | null;
  unhealthy: number | null;
}

export function demoSlots(modems: number): DemoSlots {
  return {
    rent: modems >= 2 ? modems - 1 : null,
    unconfirmed: modems >= 3 ? modems - 2 : null,
    unhealthy: modems >= 4 ? modems - 3 : null,
  };
}
