import type { EmulatedSimIdentity } from './types.js';

/** Luhn check digit (ISO/IEC 7812), used by IMEIs (TS 23.003 §6.2.1) and ICCIDs (ITU-T E.118). */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Small deterministic PRNG (mulberry32): the same seed always gives the same farm. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function digits(random: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(random() * 10));
  return out;
}

/**
 * A plausible identity for modem number `slot` of a farm seeded with `seed`: IMEI with a valid
 * Luhn digit, IMSI of MCC 250 / MNC 01, 19-digit ICCID (89 7 01 ...) with Luhn, +7 900 number.
 */
export function generateIdentity(seed: number, slot: number): EmulatedSimIdentity {
  const random = createRandom((seed * 7919 + slot * 104729 + 1) >>> 0);
  const slotDigits = String(slot % 10000).padStart(4, '0');
  const imeiBody = `35${digits(random, 8)}${slotDigits}`;
  const iccidBody = `8970101${digits(random, 7)}${slotDigits}`;
  return {
    imei: imeiBody + luhnCheckDigit(imeiBody),
    imsi: `25001${digits(random, 6)}${slotDigits}`,
    iccid: iccidBody + luhnCheckDigit(iccidBody),
    phoneNumber: `+7900${digits(random, 3)}${slotDigits}`,
    operator: 'EMU Mobile',
  };
}
