import { describe, expect, it } from 'vitest';
import {
  decodeUcs2Hex,
  groupCmglLines,
  parseCmglText,
  parseCmgrText,
  parseTextModeTimestamp,
  TextModeError,
} from '../../../src/sms/text-mode/index.js';

const HEADER = '+CMGR: "REC UNREAD","+79161234567",,"24/11/25,12:00:00+12"';

describe('parseCmgrText: bodies per character set', () => {
  it.each([
    { charset: 'GSM', body: ['Your code: 4821'], text: 'Your code: 4821' },
    { charset: 'GSM', body: ['  padded  '], text: '  padded  ' },
    { charset: 'GSM', body: ['line one', 'line two'], text: 'line one\nline two' },
    { charset: 'GSM', body: [''], text: '' },
    { charset: 'IRA', body: ['Code {1234} [ok]'], text: 'Code {1234} [ok]' },
    { charset: 'UCS2', body: ['041A043E0434003A00200034003800320031'], text: 'Код: 4821' },
    { charset: 'UCS2', body: ['0048006900200044'], text: 'Hi D' },
    { charset: 'UCS2', body: ['D83DDE00002000E9'], text: '😀 é' }, // surrogate pair joined
    { charset: 'UCS2', body: ['d83dde00'], text: '😀' }, // lower-case hex
    { charset: 'UCS2', body: ['04140430', '04340430'], text: 'Дада' }, // wrapped hex joins without a break
    { charset: 'UCS2', body: ['D83D0041'], text: '\ufffdA' }, // lone high surrogate
    { charset: 'UCS2', body: [' 0041 '], text: 'A' },
  ] as const)('$charset body $body', ({ charset, body, text }) => {
    const read = parseCmgrText(HEADER, body, { csdh: false, charset });
    expect(read.sms.text).toBe(text);
    expect(read.sms.rawBody).toBe(body.join(charset === 'UCS2' ? '' : '\n'));
  });

  it('fills TextModeSms from the header', () => {
    const read = parseCmgrText(
      '+CMGR: "REC READ","+79161234567","Mom","24/11/25,12:00:00+12",145,4,0,0,"+79168999100",145,5',
      ['Hello'],
      { csdh: true },
    );
    expect(read).toMatchObject({ status: 1, header: { smsc: '+79168999100', length: 5 } });
    expect(read.sms).toEqual({
      sender: '+79161234567',
      senderType: 'international',
      text: 'Hello',
      rawBody: 'Hello',
      timestamp: '2024-11-25T12:00:00+03:00',
      alpha: 'Mom',
    });
  });

  it.each([['00410'], ['004G'], ['hello']])('rejects UCS2 body %j', (body) => {
    expect(() => parseCmgrText(HEADER, [body], { csdh: false, charset: 'UCS2' })).toThrow(TextModeError);
  });
});

describe('parseCmglText and groupCmglLines', () => {
  it('parses a whole listing, entries split at each header', () => {
    const lines = [
      '+CMGL: 1,"REC READ","+79161234567",,"24/11/25,12:00:00+12",145,4',
      '0041D83DDE00',
      '+CMGL: 2,"REC UNREAD","00420061006E006B",,"24/11/25,12:01:00+12",208,2',
      '04140430',
    ];
    const entries = groupCmglLines(lines).map(({ header, body }) =>
      parseCmglText(header, body, { csdh: true, charset: 'UCS2' }),
    );
    expect(entries.map((e) => [e.index, e.status, e.sms.sender, e.sms.senderType, e.sms.text])).toEqual([
      [1, 1, '+79161234567', 'international', 'A😀'],
      [2, 0, 'Bank', 'alphanumeric', 'Да'],
    ]);
  });

  it('keeps multi-line GSM bodies with their header', () => {
    expect(groupCmglLines(['+CMGL: 1,"REC READ","+7",,"24/11/25,12:00:00+12"', 'a', '', 'b'])).toEqual([
      { header: '+CMGL: 1,"REC READ","+7",,"24/11/25,12:00:00+12"', body: ['a', '', 'b'] },
    ]);
    expect(groupCmglLines([])).toEqual([]);
  });

  it('rejects a body line before any header', () => {
    expect(() => groupCmglLines(['stray', '+CMGL: 1,"REC READ","+7",,""'])).toThrow(TextModeError);
  });
});

describe('parseTextModeTimestamp', () => {
  it.each([
    ['24/11/25,12:00:00+12', '2024-11-25T12:00:00+03:00'],
    ['24/11/25,12:00:00-12', '2024-11-25T12:00:00-03:00'],
    ['24/11/25,12:00:00+00', '2024-11-25T12:00:00+00:00'],
    ['24/11/25,12:00:00-00', '2024-11-25T12:00:00+00:00'],
    ['24/11/25,12:00:00+23', '2024-11-25T12:00:00+05:45'],
    ['24/11/25,12:00:00+1', '2024-11-25T12:00:00+00:15'],
    ['2024/11/25,12:00:00+12', '2024-11-25T12:00:00+03:00'],
    ['24/2/9,7:05:09+4', '2024-02-09T07:05:09+01:00'],
    ['24/02/29,00:00:00+00', '2024-02-29T00:00:00+00:00'],
  ])('%s -> %s', (text, iso) => {
    expect(parseTextModeTimestamp(text)).toBe(iso);
  });

  it.each([
    '',
    '24/11/25,12:00:00', // no zone
    '24/13/25,12:00:00+12',
    '23/02/29,00:00:00+00', // not a leap year
    '24/11/25,24:00:00+00',
    '24/11/25,12:60:00+00',
    '24/11/25,12:00:00+80',
    '24-11-25 12:00:00+12',
  ])('rejects %j', (text) => {
    expect(parseTextModeTimestamp(text)).toBeNull();
  });
});

describe('decodeUcs2Hex', () => {
  it('reports the offset it was given', () => {
    try {
      decodeUcs2Hex('004', 17);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TextModeError);
      expect((err as TextModeError).offset).toBe(17);
      expect((err as TextModeError).code).toBe('SMS_TEXT_INVALID');
    }
  });
});
