/**
 * TP-UD for the encoders (TS 23.040 §9.2.3.24): chooses the alphabet, splits a long text into
 * concatenated parts (IE 0x00 / 0x08, §9.2.3.24.1 / .8) and adds the national language IEs
 * (0x25 locking, 0x24 single shift, §9.2.3.24.15 / .16) to every part.
 *
 * A part never ends inside a character: a GSM escape stays with its septet, a UTF-16 surrogate
 * pair stays whole, so every part decodes to valid text on its own.
 */
import { encodeError } from './encode-fields.js';
import { type Gsm7Languages, textToSeptetGroups } from './encode-gsm7-text.js';
import { headerFillBits, headerSeptets, packSeptets } from './encode-septets.js';
import type { SmsEncoding } from './types.js';

export type EncodingChoice = SmsEncoding | 'auto';

export interface UserDataOptions extends Gsm7Languages {
  /** Default `auto`: GSM 7-bit when every character has a septet, else UCS-2. `8bit`: text is hex. */
  encoding?: EncodingChoice;
  /** Concatenation reference, the same in every part. Default 0. */
  reference?: number;
  /** IE 0x00 (8) or IE 0x08 (16). Default 8. */
  referenceBits?: 8 | 16;
}

export interface UserDataPart {
  /** Whether TP-UDHI must be set. */
  hasHeader: boolean;
  /** TP-UDL: septets for GSM 7-bit, octets otherwise (header included). */
  length: number;
  /** TP-UD octets, header included. */
  octets: number[];
}

export interface EncodedUserData {
  encoding: SmsEncoding;
  parts: UserDataPart[];
}

/** TS 23.040 §9.2.3.16: at most 140 octets of user data per TPDU. */
const MAX_USER_DATA_OCTETS = 140;
/** 160 septets fill 140 octets. */
const MAX_USER_DATA_SEPTETS = 160;
/** Carriage return, the padding septet of TS 23.038 §6.1.2.3.1. */
const CR = 0x0d;
/** The sequence number is one octet and starts at 1. */
const MAX_PARTS = 255;

/** One indivisible piece of text with its weight in capacity units (septets or octets). */
interface Unit {
  values: number[];
}

function unitsFor(text: string, encoding: SmsEncoding, languages: Gsm7Languages): Unit[] {
  if (encoding === 'gsm7') {
    const groups = textToSeptetGroups(text, languages);
    if (groups === null) throw encodeError('text has characters outside the GSM 7-bit tables', { languages });
    return groups.map((values) => ({ values }));
  }
  if (encoding === 'ucs2') {
    // One unit per code point: 2 octets, or 4 for a surrogate pair (kept together).
    const units: Unit[] = [];
    for (const char of text) {
      const values: number[] = [];
      for (let i = 0; i < char.length; i += 1) {
        const code = char.charCodeAt(i);
        values.push(code >> 8, code & 0xff);
      }
      units.push({ values });
    }
    return units;
  }
  if (!/^(?:[0-9A-Fa-f]{2})*$/.test(text)) throw encodeError('8bit text must be hex octets');
  const units: Unit[] = [];
  for (let i = 0; i < text.length; i += 2)
    units.push({ values: [Number.parseInt(text.slice(i, i + 2), 16)] });
  return units;
}

function capacity(encoding: SmsEncoding, headerOctets: number): number {
  if (encoding === 'gsm7')
    return MAX_USER_DATA_SEPTETS - (headerOctets === 0 ? 0 : headerSeptets(headerOctets));
  return MAX_USER_DATA_OCTETS - headerOctets;
}

function nationalIes(encoding: SmsEncoding, languages: Gsm7Languages): number[] {
  if (encoding !== 'gsm7') return [];
  const ies: number[] = [];
  const locking = languages.lockingShiftLanguage ?? 0;
  const single = languages.singleShiftLanguage ?? 0;
  if (locking !== 0) ies.push(0x25, 1, locking);
  if (single !== 0) ies.push(0x24, 1, single);
  return ies;
}

function concatIe(reference: number, bits: 8 | 16, total: number, sequence: number): number[] {
  return bits === 8
    ? [0x00, 3, reference, total, sequence]
    : [0x08, 4, reference >> 8, reference & 0xff, total, sequence];
}

function split(units: Unit[], limit: number): Unit[][] {
  const parts: Unit[][] = [];
  let current: Unit[] = [];
  let used = 0;
  for (const unit of units) {
    if (used + unit.values.length > limit) {
      parts.push(current);
      current = [];
      used = 0;
    }
    current.push(unit);
    used += unit.values.length;
  }
  parts.push(current);
  return parts;
}

function buildPart(encoding: SmsEncoding, header: number[], units: Unit[]): UserDataPart {
  const payload = units.flatMap((unit) => unit.values);
  const headerBytes = header.length === 0 ? [] : [header.length, ...header];
  if (encoding === 'gsm7') {
    const fill = headerBytes.length === 0 ? 0 : headerFillBits(headerBytes.length);
    const packed = packSeptets(payload, fill);
    // TS 23.038 §6.1.2.3.1: 7 spare bits at the end carry CR, so a receiver that counts
    // septets by octets does not show a trailing '@'.
    const spareBits = packed.length * 8 - fill - payload.length * 7;
    if (spareBits === 7) packed[packed.length - 1] = ((packed.at(-1) ?? 0) | (CR << 1)) & 0xff;
    const headerLength = headerBytes.length === 0 ? 0 : headerSeptets(headerBytes.length);
    return {
      hasHeader: headerBytes.length > 0,
      length: headerLength + payload.length,
      octets: [...headerBytes, ...packed],
    };
  }
  return {
    hasHeader: headerBytes.length > 0,
    length: headerBytes.length + payload.length,
    octets: [...headerBytes, ...payload],
  };
}

function resolveEncoding(text: string, choice: EncodingChoice, languages: Gsm7Languages): SmsEncoding {
  if (choice !== 'auto') return choice;
  return textToSeptetGroups(text, languages) === null ? 'ucs2' : 'gsm7';
}

/**
 * Encodes `text` as one or more TP-UD values. Throws `SMS_ENCODE_INVALID` for text the chosen
 * alphabet cannot carry, a bad reference, or more than 255 parts.
 */
export function encodeUserData(text: string, options: UserDataOptions = {}): EncodedUserData {
  const languages: Gsm7Languages = {
    lockingShiftLanguage: options.lockingShiftLanguage ?? 0,
    singleShiftLanguage: options.singleShiftLanguage ?? 0,
  };
  const encoding = resolveEncoding(text, options.encoding ?? 'auto', languages);
  const bits = options.referenceBits ?? 8;
  const reference = options.reference ?? 0;
  const maxReference = bits === 8 ? 0xff : 0xffff;
  if (!Number.isInteger(reference) || reference < 0 || reference > maxReference) {
    throw encodeError(`concatenation reference must be 0..${maxReference}`, { reference });
  }
  const units = unitsFor(text, encoding, languages);
  const national = nationalIes(encoding, languages);
  const singleHeaderOctets = national.length === 0 ? 0 : national.length + 1;
  const total = units.reduce((sum, unit) => sum + unit.values.length, 0);
  if (total <= capacity(encoding, singleHeaderOctets)) {
    return { encoding, parts: [buildPart(encoding, national, units)] };
  }
  const concatOctets = bits === 8 ? 5 : 6;
  const chunks = split(units, capacity(encoding, 1 + concatOctets + national.length));
  if (chunks.length > MAX_PARTS)
    throw encodeError('text needs more than 255 parts', { parts: chunks.length });
  const parts = chunks.map((chunk, index) =>
    buildPart(encoding, [...concatIe(reference, bits, chunks.length, index + 1), ...national], chunk),
  );
  return { encoding, parts };
}
