import { describe, expect, it } from 'vitest';
import { parseCops } from '../../../src/modem/parsers/parse-cops.js';
import { parseRegistration, parseRegistrationQuery } from '../../../src/modem/parsers/parse-creg.js';
import { parseCsq } from '../../../src/modem/parsers/parse-csq.js';

describe('parseCsq', () => {
  it.each([
    [['+CSQ: 17,99'], { rssi: 17, ber: null }],
    [['+CSQ: 31,0'], { rssi: 31, ber: 0 }],
    [['+CSQ: 99,99'], { rssi: null, ber: null }],
    [['OK'], null],
  ])('%j', (lines, expected) => {
    expect(parseCsq(lines)).toEqual(expected);
  });
});

describe('parseRegistration', () => {
  it.each([
    ['+CREG: 0,1', 'query', { domain: 'CREG', stat: 1, registered: true }],
    ['+CREG: 2,5,"00C3","0000FE3B",7', 'query', { domain: 'CREG', stat: 5, registered: true, lac: '00C3' }],
    ['+CGREG: 0,2', 'query', { domain: 'CGREG', stat: 2, registered: false }],
    ['+CEREG: 1,3', 'query', { domain: 'CEREG', stat: 3, registered: false }],
    ['+CREG: 1', 'urc', { domain: 'CREG', stat: 1, registered: true, lac: null }],
    ['+CREG: 5,"00C3","0000FE3B",7', 'urc', { stat: 5, cellId: '0000FE3B', accessTechnology: 7 }],
    ['+CEREG: 0', 'urc', { domain: 'CEREG', stat: 0, registered: false }],
  ] as const)('%s (%s)', (line, form, expected) => {
    expect(parseRegistration(line, form)).toMatchObject(expected);
  });

  it('returns null for unrelated or malformed lines', () => {
    expect(parseRegistration('+CSQ: 1,2', 'query')).toBeNull();
    expect(parseRegistration('+CREG: x', 'urc')).toBeNull();
    expect(parseRegistrationQuery(['OK'])).toBeNull();
    expect(parseRegistrationQuery(['+CREG: 0,1'])?.registered).toBe(true);
  });
});

describe('parseCops', () => {
  it.each([
    [['+COPS: 0,0,"MTS RUS",7'], { mode: 0, format: 0, operator: 'MTS RUS', accessTechnology: 7 }],
    [['+COPS: 0,2,"25001",2'], { mode: 0, format: 2, operator: '25001', accessTechnology: 2 }],
    [['+COPS: 0'], { mode: 0, format: null, operator: null, accessTechnology: null }],
    [['OK'], null],
  ])('%j', (lines, expected) => {
    expect(parseCops(lines)).toEqual(expected);
  });
});
