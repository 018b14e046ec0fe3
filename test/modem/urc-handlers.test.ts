import { describe, expect, it, vi } from 'vitest';
import { huaweiProfile } from '../../src/modem/profiles/huawei.js';
import { registerUrcHandlers, type UrcCallbacks } from '../../src/modem/urc-handlers.js';
import { FakeModem } from './fake-commander.js';

function wire() {
  const modem = new FakeModem();
  const at = modem.commander();
  const calls: string[] = [];
  const callbacks: UrcCallbacks = {
    profile: () => huaweiProfile,
    indication: (i) => calls.push(`cmti:${i.storage}:${i.index}`),
    direct: (lines) => calls.push(`cmt:${lines.length}`),
    boot: (line) => calls.push(`boot:${line}`),
    simReadyHint: (line) => calls.push(`sim-ready:${line}`),
    storageFull: (line) => calls.push(`full:${line}`),
    registration: (registered) => calls.push(`reg:${registered}`),
  };
  const off = registerUrcHandlers(at, callbacks);
  return { at, calls, off };
}

describe('registerUrcHandlers', () => {
  it.each([
    [['+CMTI: "ME",7'], 'cmti:ME:7'],
    [['+CMT: ,23', '0791AA'], 'cmt:2'],
    [['RDY'], 'boot:RDY'],
    [['+CFUN: 1'], 'boot:+CFUN: 1'],
    [['+QIND: SMS DONE'], 'boot:+QIND: SMS DONE'],
    [['^SMMEMFULL: "SM"'], 'full:^SMMEMFULL: "SM"'],
    [['PB DONE'], 'sim-ready:PB DONE'],
    [['+QIND: PB DONE'], 'sim-ready:+QIND: PB DONE'],
    [['+CMS ERROR: 322'], 'full:+CMS ERROR: 322'],
    [['+CREG: 5,"00C3","0000FE3B",7'], 'reg:true'],
    [['+CEREG: 2'], 'reg:false'],
  ])('%j -> %s', (lines, expected) => {
    const { at, calls } = wire();
    at.urc(...lines);
    expect(calls).toEqual([expected]);
  });

  it.each(['^RSSI: 17', '^HCSQ: "LTE",45,40,130,30', '^BOOT:20952796,0,0,0,75', '^DSFLOWRPT: 1,2,3'])(
    'swallows Huawei noise %s without any callback',
    (line) => {
      const { at, calls } = wire();
      const unhandled = vi.fn();
      at.onUnhandledLine(unhandled);
      at.urc(line);
      expect(calls).toEqual([]);
      expect(unhandled).not.toHaveBeenCalled();
    },
  );

  it('unregisters everything', () => {
    const { at, calls, off } = wire();
    off();
    at.urc('+CMTI: "SM",1');
    expect(calls).toEqual([]);
  });
});
