import { describe, expect, it } from 'vitest';
import { parseDataCodingScheme } from '../../src/sms/index.js';

describe('TP-DCS coding groups (TS 23.038 §4)', () => {
  it.each([
    // [dcs, encoding, class, compressed, group]
    [0x00, 'gsm7', null, false, 'general'],
    [0x04, '8bit', null, false, 'general'],
    [0x08, 'ucs2', null, false, 'general'],
    [0x0c, 'gsm7', null, false, 'general'], // reserved alphabet: read as GSM 7-bit
    [0x10, 'gsm7', 0, false, 'general'],
    [0x11, 'gsm7', 1, false, 'general'],
    [0x12, 'gsm7', 2, false, 'general'],
    [0x16, '8bit', 2, false, 'general'],
    [0x18, 'ucs2', 0, false, 'general'],
    [0x1b, 'ucs2', 3, false, 'general'],
    [0x03, 'gsm7', null, false, 'general'], // class bits without bit 4 mean nothing
    [0x20, 'gsm7', null, true, 'general'],
    [0x38, 'ucs2', 0, true, 'general'],
    [0x40, 'gsm7', null, false, 'automatic-deletion'],
    [0x48, 'ucs2', null, false, 'automatic-deletion'],
    [0x51, 'gsm7', 1, false, 'automatic-deletion'],
    [0x64, '8bit', null, true, 'automatic-deletion'],
    [0x80, 'gsm7', null, false, 'reserved'],
    [0xbf, 'gsm7', null, false, 'reserved'],
    [0xc0, 'gsm7', null, false, 'message-waiting-discard'],
    [0xd8, 'gsm7', null, false, 'message-waiting-store'],
    [0xe8, 'ucs2', null, false, 'message-waiting-store'],
    [0xf0, 'gsm7', 0, false, 'data-coding-class'],
    [0xf1, 'gsm7', 1, false, 'data-coding-class'],
    [0xf6, '8bit', 2, false, 'data-coding-class'],
    [0xf7, '8bit', 3, false, 'data-coding-class'],
    [0xf8, 'gsm7', 0, false, 'data-coding-class'], // bit 3 reserved, ignored
  ] as const)('DCS %i (decimal)', (dcs, encoding, messageClass, compressed, group) => {
    expect(parseDataCodingScheme(dcs)).toMatchObject({ encoding, messageClass, compressed, group });
  });

  it.each([
    [0xc8, { active: true, kind: 'voicemail' }],
    [0xc1, { active: false, kind: 'fax' }],
    [0xda, { active: true, kind: 'email' }],
    [0xeb, { active: true, kind: 'other' }],
  ] as const)('message waiting indication of DCS %i (decimal)', (dcs, waiting) => {
    expect(parseDataCodingScheme(dcs).messageWaiting).toEqual(waiting);
  });

  it('is total over 0..255', () => {
    for (let dcs = 0; dcs < 256; dcs += 1) {
      expect(['gsm7', 'ucs2', '8bit']).toContain(parseDataCodingScheme(dcs).encoding);
    }
  });
});
