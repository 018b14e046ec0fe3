import { describe, expect, it } from 'vitest';
import { isCmtLine, parseCmtHeader } from '../../../src/modem/parsers/parse-cmt.js';
import { parseCmti } from '../../../src/modem/parsers/parse-cmti.js';

describe('parseCmti', () => {
  it.each([
    ['+CMTI: "SM",3', { storage: 'SM', index: 3 }],
    ['+CMTI: "ME",0', { storage: 'ME', index: 0 }],
    ['+CMTI: "MT",12', { storage: 'MT', index: 12 }],
    ['+CMTI: SM,4', { storage: 'SM', index: 4 }],
    ['+CMTI: "SM"', null],
    ['+CMTI: "SM",x', null],
    ['+CMT: ,23', null],
  ])('%s', (line, expected) => {
    expect(parseCmti(line)).toEqual(expected);
  });
});

describe('parseCmtHeader', () => {
  it.each([
    ['+CMT: ,23', { alpha: null, length: 23 }],
    ['+CMT: "Alice",23', { alpha: 'Alice', length: 23 }],
    ['+CMT: 23', { alpha: null, length: 23 }],
    ['+CMT: "+31628870634",,"11/01/09,10:26:26+04"', null],
    ['+CMTI: "SM",1', null],
  ])('%s', (line, expected) => {
    expect(parseCmtHeader(line)).toEqual(expected);
  });

  it('recognises +CMT lines of both modes', () => {
    expect(isCmtLine('+CMT: ,23')).toBe(true);
    expect(isCmtLine('+CMT: "+3162",,"x"')).toBe(true);
    expect(isCmtLine('+CMTI: "SM",1')).toBe(false);
  });
});
