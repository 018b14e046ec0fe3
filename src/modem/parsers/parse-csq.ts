import { afterPrefix, splitFields, toInt } from './fields.js';

/** Signal quality, TS 27.007 §8.5. */
export interface SignalQuality {
  /** 0-31 (0 = -113 dBm or less, 31 = -51 dBm or more); null for 99 (not known). */
  rssi: number | null;
  /** Bit error rate class 0-7; null for 99. */
  ber: number | null;
}

/** Parses `+CSQ: <rssi>,<ber>`; null when no `+CSQ:` line is present. */
export function parseCsq(lines: readonly string[]): SignalQuality | null {
  for (const line of lines) {
    const body = afterPrefix(line, '+CSQ:');
    if (body === null) continue;
    const fields = splitFields(body);
    const rssi = toInt(fields[0]?.value);
    const ber = toInt(fields[1]?.value);
    if (rssi === null) return null;
    return {
      rssi: rssi >= 0 && rssi <= 31 ? rssi : null,
      ber: ber !== null && ber >= 0 && ber <= 7 ? ber : null,
    };
  }
  return null;
}
