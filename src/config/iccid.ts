/**
 * The one ICCID normaliser: the config lookups and duplicate check, the SIM registry, the status
 * page, the health keys, the partner's live SIMs and the modem's ICCID parser all compare ICCIDs
 * through it, so a SIM written one way in the config and printed another way by its modem is
 * still one SIM.
 */

/**
 * ICCID, ITU-T E.118: 18-22 digits. EF_ICCID pads an odd length with an F filler nibble; some
 * firmware prints a whole filler byte ("FF"), so up to two trailing F are accepted.
 */
export const ICCID_PATTERN = /^\d{18,22}F{0,2}$/i;

/** An ICCID as compared: trimmed, upper-case, without the trailing F filler (one or two). */
export function normalizeIccid(value: string): string {
  return value.trim().toUpperCase().replace(/F+$/, '');
}
