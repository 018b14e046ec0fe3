import { describe, expect, it } from 'vitest';
import { decodeUssdText, ussdAlphabet } from '../../../src/modem/ussd/decode-ussd.js';
import { parseCusd } from '../../../src/modem/ussd/parse-cusd.js';
import { textToSeptetGroups } from '../../../src/sms/encode-gsm7-text.js';
import { packSeptets } from '../../../src/sms/encode-septets.js';

const packedHex = (text: string): string =>
  Buffer.from(packSeptets((textToSeptetGroups(text) ?? []).flat()))
    .toString('hex')
    .toUpperCase();
const ucs2Hex = (text: string): string => Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase();

describe('ussdAlphabet (TS 23.038 §5)', () => {
  it('reads the alphabet of the schemes operators send', () => {
    expect(ussdAlphabet(15)).toBe('gsm7');
    expect(ussdAlphabet(0)).toBe('gsm7');
    expect(ussdAlphabet(72)).toBe('ucs2');
    expect(ussdAlphabet(0x11)).toBe('ucs2');
    expect(ussdAlphabet(0x44)).toBe('8bit');
    expect(ussdAlphabet(null)).toBe('gsm7');
  });
});

describe('decodeUssdText', () => {
  it('keeps GSM 7-bit text the modem already decoded', () => {
    expect(decodeUssdText('Balance 12.50 rub', 15)).toBe('Balance 12.50 rub');
    expect(decodeUssdText('79161234567', 15)).toBe('79161234567');
  });

  it('unpacks the packed hex form of DCS 0x0F (Huawei)', () => {
    expect(packedHex('*100#')).toBe('AA180C3602');
    expect(decodeUssdText(packedHex('Vash nomer +79161234567'), 15)).toBe('Vash nomer +79161234567');
    // 7 spare bits at the end: the CR padding of TS 23.038 §6.1.2.3.1 is not text.
    expect(decodeUssdText(packedHex('Balans:45,10r\r'), 15)).toBe('Balans:45,10r');
  });

  it('reads one septet per octet (unpacked hex)', () => {
    const unpacked = Buffer.from('Balance 7 rub', 'latin1').toString('hex');
    expect(decodeUssdText(unpacked, 15)).toBe('Balance 7 rub');
  });

  it('decodes UCS-2 hex (DCS 72) as UTF-16BE', () => {
    expect(decodeUssdText(ucs2Hex('Баланс: 123,45 р.'), 72)).toBe('Баланс: 123,45 р.');
  });

  it('leaves a UCS-2 answer that is not hex as it came', () => {
    expect(decodeUssdText('Баланс 5 р.', 72)).toBe('Баланс 5 р.');
  });
});

describe('parseCusd (TS 27.007 §7.15)', () => {
  it('parses an answer with text and DCS', () => {
    expect(parseCusd('+CUSD: 0,"Balance 12.50 rub",15')).toMatchObject({
      status: 'done',
      text: 'Balance 12.50 rub',
      dcs: 15,
    });
  });

  it('keeps commas inside the string', () => {
    expect(parseCusd('+CUSD: 0,"Баланс: 123,45 р.",72')?.text).toBe('Баланс: 123,45 р.');
    expect(parseCusd(`+CUSD: 1,"${ucs2Hex('1. Баланс, 2. Номер')}",72`)).toMatchObject({
      status: 'menu',
      text: '1. Баланс, 2. Номер',
    });
  });

  it('parses the network-ended and unsupported forms without text', () => {
    expect(parseCusd('+CUSD: 2')).toEqual({ status: 'ended', text: null, dcs: null, raw: '+CUSD: 2' });
    expect(parseCusd('+CUSD: 4')?.status).toBe('not-supported');
  });

  it('refuses lines that are not +CUSD answers', () => {
    expect(parseCusd('+CUSD: 9')).toBeNull();
    expect(parseCusd('+CMTI: "SM",1')).toBeNull();
  });
});
