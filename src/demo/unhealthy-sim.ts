import type { EmulatedFarm } from '../emulator/farm.js';
import type { Narrator } from './narrator.js';

/**
 * Shows SIM health in the demo: the last but one emulated modem's SIM drops off the network (as
 * a SIM out of coverage or blocked does; the last one is the demo's rent). The bridge hears the
 * `+CREG` URC, marks the SIM unhealthy (`unregistered`), stops offering it, and the status page
 * shows it in red. Only with three modems or more, so the demo still has activations to show.
 * Returns the slot taken off, or null.
 */
export function takeOneSimOffTheNetwork(farm: EmulatedFarm, narrator: Narrator): number | null {
  if (farm.size < 3) return null;
  const slot = farm.size - 2;
  const modem = farm.modem(slot);
  modem.setRadio({ registered: false });
  narrator.say(
    'health',
    `${modem.name} (${modem.identity.phoneNumber}): SIM off the network on purpose: unhealthy ` +
      '(unregistered), not offered to Onlinesim, red on the status page; it gets no SMS',
  );
  return slot;
}
