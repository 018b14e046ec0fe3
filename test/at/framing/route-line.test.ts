import { describe, expect, it } from 'vitest';
import { type InFlightView, type LineRoute, routeLine } from '../../../src/at/framing/route-line.js';

const URC = /^(\+CMTI|\+CREG|\^RSSI|\+CMT):/;
const cmgl: InFlightView = {
  command: 'AT+CMGL=4',
  expect: ['+CMGL:'],
  echoPossible: true,
  pendingBodyEcho: null,
};
const creg: InFlightView = {
  command: 'AT+CREG?',
  expect: ['+CREG:'],
  echoPossible: false,
  pendingBodyEcho: null,
};
const cmgs: InFlightView = {
  command: 'AT+CMGS=19',
  expect: ['+CMGS:'],
  echoPossible: false,
  pendingBodyEcho: '0011AB',
};

describe('routeLine', () => {
  const table: Array<
    [
      name: string,
      line: string,
      inFlight: InFlightView | null,
      claiming: boolean,
      route: LineRoute,
      cuts?: boolean,
    ]
  > = [
    ['echo dropped', 'AT+CMGL=4', cmgl, false, { kind: 'echo' }],
    ['echo only while possible', 'AT+CMGL=4', { ...cmgl, echoPossible: false }, false, { kind: 'info' }],
    ['final ends the command', 'OK', cmgl, false, { kind: 'final', final: { kind: 'ok' } }],
    ['error final', '+CMS ERROR: 321', cmgl, false, { kind: 'final', final: { kind: 'cms', code: 321 } }],
    ['expected prefix is info', '+CMGL: 0,1,,24', cmgl, false, { kind: 'info' }],
    ['PDU after a header is info', '07911326040000F0', cmgl, false, { kind: 'info' }],
    ['URC mid-answer goes to its handler', '+CMTI: "SM",3', cmgl, false, { kind: 'urc' }],
    ['expected prefix beats a URC pattern', '+CREG: 0,1', creg, false, { kind: 'info' }],
    ['body echo dropped', '0011AB\x1a', cmgs, false, { kind: 'body-echo' }],
    ['claimed PDU line', '07911326040000F0', cmgl, true, { kind: 'claim' }],
    ['claimed line even if it looks like a URC', '+CMTI: "SM",3', null, true, { kind: 'claim' }],
    [
      'final cuts a claim and still ends the command',
      'OK',
      cmgl,
      true,
      { kind: 'final', final: { kind: 'ok' } },
      true,
    ],
    ['idle URC', '^RSSI:17', null, false, { kind: 'urc' }],
    ['idle noise', 'SMS Ready', null, false, { kind: 'unhandled', final: null }],
    ['idle late final', 'OK', null, false, { kind: 'unhandled', final: { kind: 'ok' } }],
  ];
  for (const [name, line, inFlight, claiming, route, cuts = false] of table) {
    it(name, () => {
      expect(routeLine(line, { claiming, inFlight, matchesUrc: (l) => URC.test(l) })).toEqual({
        route,
        cutsClaim: cuts,
      });
    });
  }

  it.each(['OK', 'ERROR', '+CME ERROR: 30', 'NO CARRIER'])(
    'takes %j as text of an open claim (a quoted +CUSD string), not as the final result',
    (line) => {
      const context = { claiming: true, claimOpen: true, matchesUrc: (l: string) => URC.test(l) };
      const claimed = { route: { kind: 'claim' }, cutsClaim: false };
      expect(routeLine(line, { ...context, inFlight: cmgl })).toEqual(claimed);
      expect(routeLine(line, { ...context, inFlight: null })).toEqual(claimed);
    },
  );
});
