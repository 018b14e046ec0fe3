import type { EmulatedFarm } from '../emulator/farm.js';
import type { Narrator } from './narrator.js';

/**
 * Shows SIM health in the demo: the SIM in `slot` (demo-slots.ts `unhealthy`, a SIM of its own,
 * neither the rent nor the unconfirmed one) drops off the network, as a SIM out of coverage or
 * blocked does. The bridge hears the `+CREG` URC, marks the SIM unhealthy (`unregistered`),
 * stops offering it, and the status page shows it in red. It gets no operation and no SMS.
 */
export function takeOneSimOffTheNetwork(farm: EmulatedFarm, slot: number, narrator: Narrator): void {
  const modem = farm.modem(slot);
  modem.setRadio({ registered: false });
  narrator.say(
    'health',
    `${modem.name} (${modem.identity.phoneNumber}): SIM off the network on purpose: unhealthy ` +
      '(unregistered), not offered to Onlinesim, red on the status page; it gets no SMS',
  );
}
