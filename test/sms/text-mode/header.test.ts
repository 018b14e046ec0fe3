import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../src/errors.js';
import {
  parseCmglTextHeader,
  parseCmgrTextHeader,
  TextModeError,
  type TextModeErrorCode,
} from '../../../src/sms/text-mode/index.js';

function expectTextError(fn: () => unknown, code: TextModeErrorCode): TextModeError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(TextModeError);
  expect(isGatewayError(thrown)).toBe(true);
  const error = thrown as TextModeError;
  expect(error.code).toBe(code);
  expect(error.context.offset).toBe(error.offset);
  return error;
}

describe('parseCmgrTextHeader', () => {
  it.each([
    {
      name: 'CSDH=0, TS 27.005 §3.4.3 layout',
      line: '+CMGR: "REC UNREAD","+79161234567",,"24/11/25,12:00:00+12"',
      csdh: false,
      expected: {
        status: 0,
        address: '+79161234567',
        addressType: 'international',
        alpha: null,
        timestamp: '2024-11-25T12:00:00+03:00',
        typeOfAddress: null,
        length: null,
      },
    },
    {
      name: 'CSDH=1 with every detail field (SIM800)',
      line: '+CMGR: "REC READ","+79161234567","Mom","24/11/25,12:00:00+12",145,4,0,0,"+79168999100",145,5',
      csdh: true,
      expected: {
        status: 1,
        address: '+79161234567',
        alpha: 'Mom',
        typeOfAddress: 145,
        firstOctet: 4,
        protocolId: 0,
        dataCodingScheme: 0,
        smsc: '+79168999100',
        length: 5,
      },
    },
    {
      name: 'CSDH=1, toa 145 with a number printed without +',
      line: '+CMGR: "REC READ","79161234567",,"24/11/25,12:00:00+12",145,4,0,8,"79168999100",145,10',
      csdh: true,
      expected: {
        address: '+79161234567',
        addressType: 'international',
        smsc: '+79168999100',
        dataCodingScheme: 8,
      },
    },
    {
      name: 'CSDH=1, national toa 161',
      line: '+CMGR: "REC READ","89161234567",,"24/11/25,12:00:00+12",161,4,0,0,"",,3',
      csdh: true,
      expected: { address: '89161234567', addressType: 'national', smsc: null, length: 3 },
    },
    {
      name: 'alphanumeric sender with a comma, toa 208',
      line: '+CMGR: "REC UNREAD","Shop, Inc",,"24/11/25,12:00:00-08",208,4,0,0,"+79168999100",145,2',
      csdh: true,
      expected: { address: 'Shop, Inc', addressType: 'alphanumeric', timestamp: '2024-11-25T12:00:00-02:00' },
    },
    {
      name: 'alphanumeric sender without CSDH is typed from the text',
      line: '+CMGR: "REC UNREAD","Bank",,"24/11/25,12:00:00+00"',
      csdh: false,
      expected: { address: 'Bank', addressType: 'alphanumeric', timestamp: '2024-11-25T12:00:00+00:00' },
    },
    {
      name: 'digits without + and without CSDH are unknown',
      line: '+CMGR: "REC UNREAD","900",,"24/11/25,12:00:00+12"',
      csdh: false,
      expected: { address: '900', addressType: 'unknown' },
    },
    {
      name: 'numeric status (some Quectel firmware)',
      line: '+CMGR: 1,"+79161234567",,"24/11/25,12:00:00+12"',
      csdh: false,
      expected: { status: 1, address: '+79161234567' },
    },
    {
      name: 'status missing (ZTE)',
      line: '+CMGR: "+79161234567",,"24/11/25,12:00:00+12"',
      csdh: false,
      expected: { status: null, address: '+79161234567', timestamp: '2024-11-25T12:00:00+03:00' },
    },
    {
      name: 'stored SUBMIT: no time stamp, optional <vp> before <sca>',
      line: '+CMGR: "STO UNSENT","+79161234567",,145,17,0,0,167,"+79168999100",145,4',
      csdh: true,
      expected: { status: 2, timestamp: null, firstOctet: 17, smsc: '+79168999100', length: 4 },
    },
    {
      name: 'stored SUBMIT without <vp>',
      line: '+CMGR: "STO SENT","+79161234567",,145,1,0,0,"+79168999100",145,4',
      csdh: true,
      expected: { status: 3, timestamp: null, firstOctet: 1, smsc: '+79168999100', length: 4 },
    },
    {
      name: 'spaces after commas and a trailing CR',
      line: '+CMGR: "REC READ", "+79161234567", , "24/11/25,12:00:00+12"\r',
      csdh: false,
      expected: { status: 1, address: '+79161234567', timestamp: '2024-11-25T12:00:00+03:00' },
    },
    {
      name: 'time stamp that is not one: kept raw, timestamp null',
      line: '+CMGR: "REC READ","+79161234567",,"24/13/25,12:00:00+12"',
      csdh: false,
      expected: { timestamp: null, rawTimestamp: '24/13/25,12:00:00+12' },
    },
  ])('$name', ({ line, csdh, expected }) => {
    expect(parseCmgrTextHeader(line, { csdh })).toMatchObject(expected);
  });

  it('decodes UCS2 address and alpha strings', () => {
    const header = parseCmgrTextHeader(
      '+CMGR: "REC UNREAD","002B00370039003100360031003200330034003500360037","041C0430043C0430","24/11/25,12:00:00+12"',
      { csdh: false, charset: 'UCS2' },
    );
    expect(header).toMatchObject({ address: '+79161234567', addressType: 'international', alpha: 'Мама' });
  });

  it('keeps a plain number that happens to be hex under UCS2', () => {
    const header = parseCmgrTextHeader('+CMGR: "REC UNREAD","79161234",,"24/11/25,12:00:00+12"', {
      csdh: false,
      charset: 'UCS2',
    });
    expect(header.address).toBe('79161234');
  });

  it.each([
    ['no prefix', 'CMGR: "REC READ","+7916",,"24/11/25,12:00:00+12"', 'SMS_TEXT_INVALID', 0],
    ['unterminated quote', '+CMGR: "REC READ","+7916,,24/11/25', 'SMS_TEXT_INVALID', 18],
    ['garbage after a quote', '+CMGR: "REC READ"x,"+7916"', 'SMS_TEXT_INVALID', 17],
    ['empty', '+CMGR:', 'SMS_TEXT_INVALID', 6],
    ['bad status word', '+CMGR: 7,"+7916",,"24/11/25,12:00:00+12"', 'SMS_TEXT_INVALID', 7],
    [
      'bad <fo>',
      '+CMGR: "REC READ","+7916",,"24/11/25,12:00:00+12",145,999,0,0,"",,1',
      'SMS_TEXT_INVALID',
      54,
    ],
    [
      'status report',
      '+CMGR: "REC UNREAD",6,12,"+79161234567",145,"24/11/25,12:00:00+12","24/11/25,12:00:05+12",0',
      'SMS_TEXT_UNSUPPORTED',
      20,
    ],
    [
      'status report, no status',
      '+CMGR: 6,12,"+79161234567",145,"24/11/25,12:00:00+12","24/11/25,12:00:05+12",0',
      'SMS_TEXT_UNSUPPORTED',
      9,
    ],
  ] as const)('rejects %s', (_name, line, code, offset) => {
    expect(expectTextError(() => parseCmgrTextHeader(line, { csdh: true }), code).offset).toBe(offset);
  });
});

describe('parseCmglTextHeader', () => {
  it.each([
    {
      name: 'CSDH=0 with an empty alpha',
      line: '+CMGL: 1,"REC READ","+79161234567","","24/11/25,12:00:00+12"',
      csdh: false,
      expected: {
        index: 1,
        status: 1,
        address: '+79161234567',
        alpha: null,
        timestamp: '2024-11-25T12:00:00+03:00',
      },
    },
    {
      name: 'CSDH=1 adds <tooa>,<length> only',
      line: '+CMGL: 12,"REC UNREAD","+79161234567",,"24/11/25,12:00:00+12",145,160',
      csdh: true,
      expected: { index: 12, status: 0, typeOfAddress: 145, length: 160, firstOctet: null },
    },
    {
      name: 'numeric status',
      line: '+CMGL: 0,0,"+79161234567",,"24/11/25,12:00:00+12"',
      csdh: false,
      expected: { index: 0, status: 0 },
    },
    {
      name: 'status missing (ZTE)',
      line: '+CMGL: 3,"Shop, Inc",,"24/11/25,12:00:00+12"',
      csdh: false,
      expected: { index: 3, status: null, address: 'Shop, Inc', addressType: 'alphanumeric' },
    },
    {
      name: 'stored SUBMIT with empty <scts>',
      line: '+CMGL: 4,"STO UNSENT","+79161234567",,,145,4',
      csdh: true,
      expected: { index: 4, status: 2, timestamp: null, rawTimestamp: '', length: 4 },
    },
  ])('$name', ({ line, csdh, expected }) => {
    expect(parseCmglTextHeader(line, { csdh })).toMatchObject(expected);
  });

  it.each([
    ['missing index', '+CMGL: "REC READ","+7916",,"24/11/25,12:00:00+12"', 'SMS_TEXT_INVALID'],
    ['negative index', '+CMGL: -1,"REC READ","+7916",,"24/11/25,12:00:00+12"', 'SMS_TEXT_INVALID'],
    ['no address', '+CMGL: 1,"REC READ"', 'SMS_TEXT_INVALID'],
    ['bad length', '+CMGL: 1,"REC READ","+7916",,"24/11/25,12:00:00+12",145,x', 'SMS_TEXT_INVALID'],
    ['a +CMGR line', '+CMGR: "REC READ","+7916",,"24/11/25,12:00:00+12"', 'SMS_TEXT_INVALID'],
    [
      'status report',
      '+CMGL: 2,"REC READ",6,12,"+7916",145,"24/11/25,12:00:00+12","24/11/25,12:00:05+12",0',
      'SMS_TEXT_UNSUPPORTED',
    ],
  ] as const)('rejects %s', (_name, line, code) => {
    expectTextError(() => parseCmglTextHeader(line, { csdh: true }), code);
  });
});
