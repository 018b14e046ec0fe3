import { describe, expect, it } from 'vitest';
import { createHarness } from './helpers.js';

describe('emulated SIM off the network', () => {
  it('answers +CREG? not registered and sends +CREG URCs on each change once enabled', () => {
    const { modem, at, take } = createHarness();
    modem.setRadio({ registered: false });
    expect(take()).toBe(''); // URCs are off by default (AT+CREG=0)
    expect(at('AT+CREG?')).toEqual(['+CREG: 0,0', 'OK']);
    expect(at('AT+CREG=1')).toEqual(['OK']);
    modem.setRadio({ registered: true });
    expect(take()).toContain('+CREG: 1');
    modem.setRadio({ registered: true });
    expect(take()).toBe(''); // no change, no URC
    modem.setRadio({ registered: false });
    expect(take()).toContain('+CREG: 2');
    expect(at('AT+CSQ')).toEqual(['+CSQ: 99,99', 'OK']);
  });

  it('stays off the network across a reboot until put back', () => {
    const { modem, at } = createHarness();
    modem.setRadio({ registered: false });
    modem.silentReset();
    at('ATE0'); // the reboot turned echo back on
    expect(at('AT+CREG?')).toEqual(['+CREG: 0,0', 'OK']);
    modem.setRadio({ registered: true });
    expect(at('AT+CREG?')).toEqual(['+CREG: 0,1', 'OK']);
  });

  it('repeats registration noise with the state it is in now', () => {
    const { modem, take } = createHarness({ profile: 'generic' });
    modem.setRadio({ registered: false });
    take();
    modem.urcStorm(4);
    const noise = take();
    expect(noise).toContain('+CREG: 2');
    expect(noise).not.toContain('+CREG: 1');
  });

  it('fails every SMS read with +CMS ERROR: 500 while reads are failing, and only reads', () => {
    const { modem, at } = createHarness();
    at('AT+CMEE=1');
    modem.setReadsFailing(true);
    expect(at('AT+CMGL=4')).toEqual(['+CMS ERROR: 500']);
    expect(at('AT+CMGR=1')).toEqual(['+CMS ERROR: 500']);
    expect(at('AT+CPMS?').at(-1)).toBe('OK');
    modem.setReadsFailing(false);
    expect(at('AT+CMGL=4')).toEqual(['OK']);
  });
});
