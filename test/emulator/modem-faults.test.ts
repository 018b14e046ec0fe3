import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodePdu } from '../../src/sms/decode-pdu.js';
import { createHarness, VECTORS } from './helpers.js';

describe('EmulatedModem faults and network model', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps messages in the network while storage is full and delivers them when a delete frees a slot', () => {
    const { modem, at, take } = createHarness({ simCapacity: 2 });
    at('AT+CMEE=1;+CNMI=2,1,0,0,0');
    modem.injectPdu(VECTORS.howAreYou);
    modem.injectPdu(VECTORS.meetAt7);
    modem.injectPdu(VECTORS.hellohello);
    expect(take()).toBe('\r\n+CMTI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n');
    expect(modem.networkQueueLength).toBe(1);
    expect(at('AT+CPMS?')).toEqual(['+CPMS: "SM",2,2,"SM",2,2,"SM",2,2', 'OK']);
    expect(at('AT+CMGD=1')).toEqual(['OK', '+CMTI: "SM",1']);
    expect(modem.networkQueueLength).toBe(0);
    expect(at('AT+CMGR=1')[1]).toBe(VECTORS.hellohello);
  });

  it('fillStorage and setStorageCapacity make the SIM full on demand', () => {
    const { modem, at } = createHarness({ simCapacity: 3 });
    modem.fillStorage('SM');
    expect(at('AT+CPMS?')[0]).toBe('+CPMS: "SM",3,3,"SM",3,3,"SM",3,3');
    modem.injectPdu(VECTORS.howAreYou);
    expect(modem.networkQueueLength).toBe(1);
    at('AT+CMGD=1,4');
    expect(modem.networkQueueLength).toBe(0);
    modem.setStorageCapacity('SM', 1);
    expect(at('AT+CPMS?')[0]).toBe('+CPMS: "SM",1,1,"SM",1,1,"SM",1,1');
  });

  it('stores into ME and MT when asked with AT+CPMS', () => {
    const { modem, at, take } = createHarness({ simCapacity: 1, meCapacity: 5 });
    expect(at('AT+CPMS="MT","MT","MT"')).toEqual(['+CPMS: 0,6,0,6,0,6', 'OK']);
    at('AT+CNMI=2,1,0,0,0');
    modem.injectPdu(VECTORS.howAreYou);
    modem.injectPdu(VECTORS.meetAt7);
    expect(take()).toBe('\r\n+CMTI: "MT",1\r\n\r\n+CMTI: "MT",2\r\n');
    expect(modem.storedMessages().map((m) => m.storage)).toEqual(['SM', 'ME']);
    expect(at('AT+CMGL=4').filter((line) => line.startsWith('+CMGL'))).toEqual([
      '+CMGL: 1,0,,30',
      '+CMGL: 2,0,,30',
    ]);
    expect(at('AT+CPMS="ME"')).toEqual(['+CPMS: 1,5,2,6,2,6', 'OK']);
  });

  it('drops the next +CMTI but still stores the message', () => {
    const { modem, at, take } = createHarness();
    at('AT+CNMI=2,1,0,0,0');
    modem.dropNextCmti(1);
    modem.injectPdu(VECTORS.howAreYou);
    modem.injectPdu(VECTORS.meetAt7);
    expect(take()).toBe('\r\n+CMTI: "SM",2\r\n');
    expect(modem.storedMessages()).toHaveLength(2);
  });

  it('hang: reads but never answers and holds SMS in the network; unhang resumes', () => {
    const { modem, at, take } = createHarness();
    at('AT+CNMI=2,1,0,0,0');
    modem.hang();
    expect(at('AT')).toEqual([]);
    modem.injectPdu(VECTORS.howAreYou);
    expect(take()).toBe('');
    modem.unhang();
    expect(take()).toBe('\r\n+CMTI: "SM",1\r\n');
    expect(at('AT')).toEqual(['OK']);
  });

  it('delays answers with setReplyDelay, in order', () => {
    vi.useFakeTimers();
    const { modem, take } = createHarness({ now: () => Date.now() });
    modem.setReplyDelay(500);
    modem.hostWrite(Buffer.from('AT+CSQ\rAT\r'));
    vi.advanceTimersByTime(499);
    expect(take()).toBe('');
    vi.advanceTimersByTime(1);
    expect(take()).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    vi.advanceTimersByTime(500);
    expect(take()).toBe('\r\nOK\r\n');
  });

  it('SIM busy for N commands after boot, then normal', () => {
    const { modem, at } = createHarness({ simBusyCommands: 0 });
    at('AT+CMEE=1');
    modem.simBusy(2);
    expect(at('AT+CPMS?')).toEqual(['+CMS ERROR: 314']);
    expect(at('AT+CCID')).toEqual(['+CME ERROR: 14']);
    expect(at('AT+CCID')).toEqual(['+CCID: 8970101123456789012', 'OK']);
  });

  it('silent reset: reboot event, settings back to defaults, storage and pending messages kept', () => {
    const { modem, at } = createHarness();
    const reboots: string[] = [];
    modem.on('reboot', (info) => reboots.push(info.reason));
    at('AT+CMGF=1;+CNMI=2,1,0,0,0;+CMEE=2');
    modem.injectPdu(VECTORS.howAreYou);
    modem.silentReset();
    expect(reboots).toEqual(['silent-reset']);
    expect(modem.settings).toMatchObject({ echo: true, messageFormat: 0, cmee: 0, cnmi: [0, 0, 0, 0, 0] });
    expect(modem.storedMessages()).toHaveLength(1);
  });

  it('an un-acked +CMT under CSMS=1 times out: mt is cleared and the network retry is stored', () => {
    vi.useFakeTimers();
    const { modem, at, take } = createHarness({ cnmaTimeoutMs: 1_000, now: () => Date.now() });
    at('AT+CSMS=1;+CNMI=2,2,0,0,0');
    modem.injectPdu(VECTORS.howAreYou);
    expect(take()).toContain('+CMT: ,30');
    vi.advanceTimersByTime(1_000);
    expect(modem.settings.cnmi).toEqual([2, 0, 0, 0, 0]);
    expect(modem.storedMessages().map((m) => m.pdu)).toEqual([VECTORS.howAreYou]);
    expect(take()).toBe('');
  });

  it('garbage bursts and URC storms go out on the line', () => {
    const { modem, take } = createHarness({ profile: 'huawei-e3372' });
    modem.sendGarbage(40);
    expect(Buffer.byteLength(take(), 'utf8')).toBeGreaterThan(0);
    modem.urcStorm(8);
    expect(take().match(/\^(RSSI|HCSQ|DSFLOWRPT|BOOT)/g)).toHaveLength(8);
  });

  it('injectSms encodes long texts into parts that arrive in the requested order', async () => {
    const { modem } = createHarness();
    const text = 'x'.repeat(300);
    const arrived = await modem.injectSms({ sender: '+79991234567', text, order: 'reversed' });
    expect(arrived).toHaveLength(2);
    const stored = modem.storedMessages().map((m) => decodePdu(m.pdu));
    expect(stored.map((m) => (m.type === 'deliver' ? m.concat?.sequence : null))).toEqual([2, 1]);
    expect(stored.map((m) => (m.type === 'deliver' ? m.text : '')).join('').length).toBe(300);
  });

  it('rejects a malformed injected PDU with EMU_INVALID_PDU', () => {
    const { modem } = createHarness();
    expect(() => modem.injectPdu('XYZ')).toThrow(expect.objectContaining({ code: 'EMU_INVALID_PDU' }));
  });

  it('holds messages sent while unplugged and stores them after the replug boot', () => {
    const { modem } = createHarness();
    modem.unplug();
    modem.injectPdu(VECTORS.howAreYou);
    expect(modem.networkQueueLength).toBe(1);
    modem.replug();
    expect(modem.networkQueueLength).toBe(0);
    expect(modem.storedMessages().map((m) => m.pdu)).toEqual([VECTORS.howAreYou]);
  });

  it('setCmtiDropped stores every message silently until it is turned off', () => {
    const { modem, at, take } = createHarness();
    at('AT+CNMI=2,1,0,0,0');
    modem.setCmtiDropped(true);
    modem.injectPdu(VECTORS.howAreYou);
    modem.injectPdu(VECTORS.meetAt7);
    expect(take()).toBe('');
    expect(modem.storedMessages()).toHaveLength(2);
    modem.setCmtiDropped(false);
    modem.injectPdu(VECTORS.hellohello);
    expect(take()).toBe('\r\n+CMTI: "SM",3\r\n');
  });

  it('holdSmsBusy: SMS commands answer +CMS ERROR: 314 for the hold after a replug boot, then SMS Ready', () => {
    vi.useFakeTimers();
    const { modem, at, take } = createHarness({ profile: 'simcom-sim800', now: () => Date.now() });
    modem.unplug();
    modem.injectPdu(VECTORS.howAreYou);
    modem.replug();
    modem.holdSmsBusy(8_000);
    vi.advanceTimersByTime(10);
    expect(take().split('\r\n').filter(Boolean)).toEqual(['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready']);
    at('ATE0;+CMEE=1');
    expect(at('AT+CPMS?')).toEqual(['+CMS ERROR: 314']);
    expect(at('AT+CPIN?')).toEqual(['+CPIN: READY', 'OK']);
    vi.advanceTimersByTime(7_980);
    expect(at('AT+CMGL=4')).toEqual(['+CMS ERROR: 314']);
    expect(modem.storedMessages()).toHaveLength(0);
    vi.advanceTimersByTime(20);
    expect(take()).toBe('\r\nSMS Ready\r\n');
    expect(modem.isSmsReady).toBe(true);
    expect(modem.storedMessages()).toHaveLength(1);
    expect(at('AT+CPMS?')[1]).toBe('OK');
  });
});
