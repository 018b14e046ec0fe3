const HEX_DIGITS = '0123456789ABCDEF';

/** Uppercase hex, two digits per octet, as `AT+CMGR` prints a PDU (TS 27.005 §3.1 `<pdu>`). */
export function bytesToHexUpper(octets: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < octets.length; i += 1) {
    const value = (octets[i] ?? 0) & 0xff;
    out += HEX_DIGITS.charAt(value >> 4) + HEX_DIGITS.charAt(value & 0x0f);
  }
  return out;
}

/**
 * The `<length>` of `+CMGR`/`+CMGL` in PDU mode (TS 27.005 §3.4.3): octets of the TPDU, the
 * SMSC field excluded. `pdu` is the hex with the SMSC field first.
 */
export function tpduLength(pdu: string): number {
  const smscOctets = Number.parseInt(pdu.slice(0, 2), 16);
  return pdu.length / 2 - 1 - (Number.isNaN(smscOctets) ? 0 : smscOctets);
}
