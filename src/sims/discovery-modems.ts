import type { ModemManager } from '../modem/modem-manager.js';
import type { ModemSnapshot } from '../modem/types.js';
import type { DiscoveryModem } from './sim-discovery.js';
import type { PresentSim } from './sim-registry.js';

/** The modem of `port` as discovery uses it, or null when it has no driver or no SIM identity. */
export function discoveryModemOf(manager: Pick<ModemManager, 'driver'>, port: string): DiscoveryModem | null {
  const driver = manager.driver(port);
  const identity = driver?.identity;
  if (!driver || !identity?.iccid) return null;
  return {
    port,
    iccid: identity.iccid,
    imsi: identity.imsi,
    ownNumber: identity.ownNumber ?? null,
    ussd: (code, options) => driver.ussd(code, options),
  };
}

/** Every modem that is ready now, as discovery uses them. */
export function readyDiscoveryModems(manager: Pick<ModemManager, 'driver' | 'snapshots'>): DiscoveryModem[] {
  return manager
    .snapshots()
    .filter((snapshot) => snapshot.state === 'ready')
    .map((snapshot) => discoveryModemOf(manager, snapshot.port))
    .filter((modem): modem is DiscoveryModem => modem !== null);
}

/** A snapshot's SIM for the registry's list (which slot holds which SIM). */
export function presentSim(snapshot: ModemSnapshot): PresentSim {
  return {
    port: snapshot.port,
    iccid: snapshot.identity?.iccid ?? null,
    imsi: snapshot.identity?.imsi ?? null,
  };
}
