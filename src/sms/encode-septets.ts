/**
 * Packs 7-bit values LSB first into octets, TS 23.038 §6.1.2.1.1: septet n occupies bits
 * 7n .. 7n+6 of the stream, counting from bit 0 of the first octet.
 *
 * `fillBits` zero bits come first; TS 23.040 §9.2.3.24 needs them after a user data header so
 * the first character starts on a septet boundary. Values above 0x7F are masked to 7 bits.
 * Spare bits after the last septet are 0 (TS 23.038 §6.1.2.3.1 allows a CR there only to hide
 * a trailing `@`; the decoders here count septets by TP-UDL, so 0 is never read as text).
 */
export function packSeptets(septets: ArrayLike<number>, fillBits = 0): Uint8Array {
  if (!Number.isInteger(fillBits) || fillBits < 0 || fillBits > 6) {
    throw new RangeError(`fill bits must be 0..6, got ${fillBits}`);
  }
  const totalBits = fillBits + septets.length * 7;
  const out = new Uint8Array(Math.ceil(totalBits / 8));
  let bit = fillBits;
  for (let i = 0; i < septets.length; i += 1) {
    const value = (septets[i] ?? 0) & 0x7f;
    const index = bit >> 3;
    const shift = bit & 7;
    out[index] = (out[index] ?? 0) | ((value << shift) & 0xff);
    if (shift > 1) out[index + 1] = (out[index + 1] ?? 0) | (value >> (8 - shift));
    bit += 7;
  }
  return out;
}

/**
 * Septets a user data header of `headerOctets` octets (UDHL octet included) takes in a GSM
 * 7-bit message, fill bits included (TS 23.040 §9.2.3.24): ceil(octets * 8 / 7).
 */
export function headerSeptets(headerOctets: number): number {
  return Math.ceil((headerOctets * 8) / 7);
}

/** Fill bits between a header of `headerOctets` octets and the first septet (0..6). */
export function headerFillBits(headerOctets: number): number {
  return headerSeptets(headerOctets) * 7 - headerOctets * 8;
}
