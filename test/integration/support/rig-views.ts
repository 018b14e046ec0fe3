import type { InProcessRig } from './in-process-bridge.js';

/**
 * What the SIM-health tests read back from an in-process bridge, the way Onlinesim and an
 * operator see it: the GET_SERVICES count and one SIM's row of `/api/modems`.
 */

/** How many SIMs GET_SERVICES offers for vk in the first country, all operators together. */
export async function offeredVk(rig: InProcessRig): Promise<number> {
  const answer = (await rig.reseller({ action: 'GET_SERVICES' })) as {
    countryList?: { operatorMap: { any: { vk: number } } }[];
  };
  return answer.countryList?.[0]?.operatorMap.any.vk ?? 0;
}

/** The `/api/modems` row of the SIM in `slot` (the fields `T` names), if the bridge lists it. */
export async function apiModemOf<T extends { iccid: string | null }>(
  rig: InProcessRig,
  slot: number,
): Promise<T | undefined> {
  const modems = (await (await rig.admin('/api/modems')).json()) as T[];
  return modems.find((m) => m.iccid === rig.iccids[slot]);
}
