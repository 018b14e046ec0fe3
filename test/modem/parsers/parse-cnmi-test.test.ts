import { describe, expect, it } from 'vitest';
import { chooseCnmi } from '../../../src/modem/parsers/parse-cnmi-test.js';

describe('chooseCnmi', () => {
  it.each([
    ['gammu sample 1', '+CNMI: (0-2),(0,1,3),(0),(0,1),(0,1)', 'AT+CNMI=2,1,0,0,0', 'stored'],
    ['gammu sample 2', '+CNMI: (2),(0-1,3),(0,2),(0-1),(0)', 'AT+CNMI=2,1,0,0,0', 'stored'],
    ['mode 1 when 2 is missing', '+CNMI: (0,1,3),(0-3),(0),(0),(0)', 'AT+CNMI=1,1,0,0,0', 'stored'],
    ['mode 3 as last resort', '+CNMI: (0,3),(1),(0),(0),(0)', 'AT+CNMI=3,1,0,0,0', 'stored'],
    ['mt 2 when 1 is unsupported', '+CNMI: (1,2),(0,2,3),(0),(0,2),(0,1)', 'AT+CNMI=2,2,0,0,0', 'direct'],
    ['bm without 0 takes the smallest', '+CNMI: (2),(1),(2,3),(0),(0)', 'AT+CNMI=2,1,2,0,0', 'stored'],
    ['fewer groups give fewer parameters', '+CNMI: (0-2),(0-3)', 'AT+CNMI=2,1', 'stored'],
    ['ranges without spaces or parens', '+CNMI: 2,1,0,0,0', 'AT+CNMI=2,1,0,0,0', 'stored'],
  ])('%s', (_name, line, command, delivery) => {
    expect(chooseCnmi([line])).toEqual({ command, delivery });
  });

  it('returns null when neither mt 1 nor 2 exists', () => {
    expect(chooseCnmi(['+CNMI: (0-2),(0,3),(0),(0),(0)'])).toBeNull();
    expect(chooseCnmi(['OK'])).toBeNull();
  });
});
