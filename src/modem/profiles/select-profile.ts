import type { ModemIdentity } from '../types.js';
import { genericProfile } from './generic.js';
import { huaweiProfile } from './huawei.js';
import type { ModemProfile } from './profile.js';
import { quectelProfile } from './quectel.js';
import { simcomProfile } from './simcom.js';
import { zteProfile } from './zte.js';

/** Vendor profiles in match order; generic last, as it matches anything. */
export const PROFILES: readonly ModemProfile[] = [
  huaweiProfile,
  zteProfile,
  simcomProfile,
  quectelProfile,
  genericProfile,
];

/** Picks the profile for a modem from its `+CGMI`/`+CGMM` answers. Pure. */
export function selectProfile(identity: Pick<ModemIdentity, 'manufacturer' | 'model'>): ModemProfile {
  const manufacturer = identity.manufacturer ?? '';
  const model = identity.model ?? '';
  return PROFILES.find((profile) => profile.matches(manufacturer, model)) ?? genericProfile;
}
