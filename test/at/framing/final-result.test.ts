import { describe, expect, it } from 'vitest';
import { isBodyEcho, isCommandEcho } from '../../../src/at/framing/echo.js';
import {
  classifyFinalResult,
  describeFinalResult,
  UNKNOWN_ERROR_CODE,
} from '../../../src/at/framing/final-result.js';
import type { FinalResult } from '../../../src/at/types.js';

describe('classifyFinalResult', () => {
  const table: Array<[line: string, expected: FinalResult | null]> = [
    ['OK', { kind: 'ok' }],
    [' OK ', { kind: 'ok' }],
    ['ok', { kind: 'ok' }],
    ['ERROR', { kind: 'error' }],
    ['+CME ERROR: 14', { kind: 'cme', code: 14 }],
    ['+CME ERROR:10', { kind: 'cme', code: 10 }],
    ['+CME ERROR: SIM busy', { kind: 'cme', code: 14, text: 'SIM busy' }],
    ['+CME ERROR: SIM PIN required', { kind: 'cme', code: 11, text: 'SIM PIN required' }],
    ['+CME ERROR: something new', { kind: 'cme', code: UNKNOWN_ERROR_CODE, text: 'something new' }],
    ['+CMS ERROR: 314', { kind: 'cms', code: 314 }],
    ['+CMS ERROR: 321', { kind: 'cms', code: 321 }],
    ['+CMS ERROR: memory full', { kind: 'cms', code: 322, text: 'memory full' }],
    ['+cms error: 500', { kind: 'cms', code: 500 }],
    ['COMMAND NOT SUPPORT', { kind: 'vendor-error', text: 'COMMAND NOT SUPPORT' }],
    ['TOO MANY PARAMETERS', { kind: 'vendor-error', text: 'TOO MANY PARAMETERS' }],
    ['NO CARRIER', { kind: 'vendor-error', text: 'NO CARRIER' }],
    ['BUSY', { kind: 'vendor-error', text: 'BUSY' }],
    ['+CMGL: 0,1,,24', null],
    ['+CMTI: "SM",3', null],
    ['OKAY', null],
    ['ERRORS', null],
    ['07911326040000F0', null],
    ['', null],
    ['RDY', null],
  ];
  for (const [line, expected] of table) {
    it(`${JSON.stringify(line)} → ${JSON.stringify(expected)}`, () => {
      expect(classifyFinalResult(line)).toEqual(expected);
    });
  }

  it('describes results for messages', () => {
    expect(describeFinalResult({ kind: 'cms', code: 314 })).toBe('+CMS ERROR: 314');
    expect(describeFinalResult({ kind: 'cme', code: 14, text: 'SIM busy' })).toBe(
      '+CME ERROR: 14 (SIM busy)',
    );
    expect(describeFinalResult({ kind: 'vendor-error', text: 'COMMAND NOT SUPPORT' })).toBe(
      'COMMAND NOT SUPPORT',
    );
  });
});

describe('echo recognition', () => {
  const table: Array<[line: string, command: string, echo: boolean]> = [
    ['AT+CMGL=4', 'AT+CMGL=4', true],
    ['AT+CMGL=4', 'at+cmgl=4', true],
    [' AT+CSQ ', 'AT+CSQ', true],
    ['+CSQ: 17,99', 'AT+CSQ', false],
    ['AT+CMGL=1', 'AT+CMGL=4', false],
  ];
  for (const [line, command, echo] of table) {
    it(`${line} vs ${command}: ${echo}`, () => expect(isCommandEcho(line, command)).toBe(echo));
  }

  it('recognises the echoed AT+CMGS body with or without Ctrl-Z', () => {
    expect(isBodyEcho('0011AB\x1a', '0011AB')).toBe(true);
    expect(isBodyEcho('0011ab', '0011AB')).toBe(true);
    expect(isBodyEcho('> 0011AB\x1a', '0011AB')).toBe(true);
    expect(isBodyEcho('+CMGS: 7', '0011AB')).toBe(false);
    expect(isBodyEcho('\x1a', '')).toBe(false);
  });
});
