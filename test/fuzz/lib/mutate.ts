import { createRandom } from '../../../src/emulator/identity.js';

/**
 * Seeded input mutators for the fuzz targets: byte-level mutations of PDUs (bit flips, octet
 * overwrites with boundary values, insertions, deletions, truncation, spliced slices, length
 * fields rewritten) and of text lines, plus random bytes and hex.
 */

export type Random = () => number;

/** Mulberry32, the emulator's seeded generator: the same seed gives the same run. */
export const seededRandom: (seed: number) => Random = createRandom;

export const int = (random: Random, below: number): number => Math.floor(random() * below);

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[int(random, items.length)] as T;
}

const INTERESTING_OCTETS = [
  0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x40, 0x44, 0x08, 0x04, 0x91, 0xd0, 0xa0, 0x0b,
];

export function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += (byte < 16 ? '0' : '') + byte.toString(16).toUpperCase();
  return hex;
}

export function randomBytes(random: Random, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = int(random, 256);
  return bytes;
}

/** One to four byte-level mutations of `input`. */
export function mutateBytes(random: Random, input: Uint8Array): Uint8Array {
  let bytes: number[] = Array.from(input);
  const rounds = 1 + int(random, 4);
  for (let r = 0; r < rounds; r++) {
    const at = bytes.length === 0 ? 0 : int(random, bytes.length);
    switch (int(random, 8)) {
      case 0:
        if (bytes.length > 0) bytes[at] = (bytes[at] as number) ^ (1 << int(random, 8));
        break;
      case 1:
        if (bytes.length > 0) bytes[at] = pick(random, INTERESTING_OCTETS);
        break;
      case 2:
        bytes.splice(at, 0, int(random, 256));
        break;
      case 3:
        bytes.splice(at, 1 + int(random, 4));
        break;
      case 4:
        bytes = bytes.slice(0, at);
        break;
      case 5: {
        const from = int(random, bytes.length + 1);
        bytes.splice(at, 0, ...bytes.slice(from, from + 1 + int(random, 16)));
        break;
      }
      case 6:
        // Length-like fields sit early in a PDU (SMSC length, TP-OA length, TP-UDL).
        if (bytes.length > 0) bytes[int(random, Math.min(bytes.length, 14))] = int(random, 256);
        break;
      default:
        if (bytes.length > 0) bytes[bytes.length - 1] = int(random, 256);
    }
  }
  return Uint8Array.from(bytes);
}

/** Character-level mutations of a text line (insert, delete, replace, duplicate a slice). */
export function mutateText(random: Random, input: string, alphabet: string): string {
  let text = input;
  const rounds = 1 + int(random, 3);
  for (let r = 0; r < rounds; r++) {
    const at = int(random, text.length + 1);
    const char = alphabet[int(random, alphabet.length)] ?? '';
    switch (int(random, 5)) {
      case 0:
        text = text.slice(0, at) + char + text.slice(at);
        break;
      case 1:
        text = text.slice(0, at) + text.slice(at + 1 + int(random, 3));
        break;
      case 2:
        text = text.slice(0, at) + char + text.slice(at + 1);
        break;
      case 3:
        text = text.slice(0, at);
        break;
      default:
        text = text.slice(0, at) + text.slice(int(random, text.length + 1)).slice(0, 12) + text.slice(at);
    }
  }
  return text;
}
