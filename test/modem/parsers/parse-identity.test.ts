import { describe, expect, it } from 'vitest';
import { parseIccid, swapNibbles } from '../../../src/modem/parsers/parse-ccid.js';
import { parseImei, parseImsi, parseInfoText } from '../../../src/modem/parsers/parse-identity.js';

describe('parseIccid', () => {
  it.each([
    ['+CCID', ['+CCID: 89701012345678901234'], '89701012345678901234'],
    ['+CCID quoted', ['+CCID: "89701012345678901234"'], '89701012345678901234'],
    ['+ICCID', ['+ICCID: 8970101234567890123F'], '8970101234567890123'],
    ['+QCCID 19 digits + F', ['+QCCID: 8944500102198304826F'], '8944500102198304826'],
    ['^ICCID plain (newer Huawei)', ['^ICCID: 89860012345678901234'], '89860012345678901234'],
    ['^ICCID nibble-swapped (older Huawei)', ['^ICCID: 98070121436587092143'], '89701012345678901234'],
    ['bare digits', ['89701012345678901234'], '89701012345678901234'],
    ['not an ICCID', ['+CCID: 1234'], null],
    ['nothing', [], null],
  ])('%s', (_name, lines, expected) => {
    expect(parseIccid(lines)).toBe(expected);
  });

  it('swapNibbles is its own inverse', () => {
    expect(swapNibbles(swapNibbles('89701012345678901234'))).toBe('89701012345678901234');
  });
});

describe('identity lines', () => {
  it.each([
    [['490154203237518'], '490154203237518'],
    [['+CGSN: "490154203237518"'], '490154203237518'],
    [['+CGSN: 490154203237518'], '490154203237518'],
    [['ERROR-ish'], null],
  ])('IMEI %j', (lines, expected) => {
    expect(parseImei(lines)).toBe(expected);
  });

  it.each([
    [['250011234567890'], '250011234567890'],
    [['+CIMI: 250011234567890'], '250011234567890'],
    [['+CME ERROR: 10'], null],
  ])('IMSI %j', (lines, expected) => {
    expect(parseImsi(lines)).toBe(expected);
  });

  it.each([
    [['huawei'], 'CGMI', 'huawei'],
    [['+CGMI: "Quectel"'], 'CGMI', 'Quectel'],
    [['+CGMM: SIMCOM_SIM7600E-H'], 'CGMM', 'SIMCOM_SIM7600E-H'],
    [['Revision: 1418B06SIM800L24'], 'CGMR', 'Revision: 1418B06SIM800L24'],
    [[], 'CGMR', null],
  ] as const)('info %j', (lines, command, expected) => {
    expect(parseInfoText(lines, command)).toBe(expected);
  });
});
