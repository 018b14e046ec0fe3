import { afterEach, describe, expect, it, vi } from 'vitest';
import { getModemProfile } from '../../src/emulator/profiles.js';
import { createHarness, VECTORS } from './helpers.js';

describe('vendor profiles', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('huawei-e3372: index from 0, COMMAND NOT SUPPORT, ^ICCID?, ^SMMEMFULL when full, \\r\\r\\n endings', () => {
    const { modem, at, take } = createHarness({ profile: 'huawei-e3372', simCapacity: 1 });
    expect(at('AT+CGMI')).toEqual(['huawei', 'OK']);
    expect(at('AT+FOO')).toEqual(['COMMAND NOT SUPPORT']);
    expect(at('AT^CURC=0')).toEqual(['OK']);
    expect(at('AT^ICCID?')).toEqual(['^ICCID: 8970101123456789012', 'OK']);
    at('AT+CNMI=2,1,0,0,0');
    modem.injectPdu(VECTORS.howAreYou);
    expect(take()).toMatch(/^\r\n\+CMTI: "SM",0\r\r?\n$/);
    modem.injectPdu(VECTORS.meetAt7);
    expect(take()).toMatch(/^\r\n\^SMMEMFULL: "SM"\r\r?\n$/);
    expect(modem.networkQueueLength).toBe(1);
    // Some lines end with an extra CR.
    modem.hostWrite(Buffer.from('AT+CSQ\r'));
    modem.hostWrite(Buffer.from('AT+CSQ\r'));
    expect(take()).toContain('\r\r\n');
  });

  it('zte-mf190: +ICCID, and every other +CMGR comes without its status field', () => {
    const { modem, at } = createHarness({ profile: 'zte-mf190' });
    expect(at('AT+ICCID')).toEqual(['+ICCID: 8970101123456789012', 'OK']);
    expect(at('AT+ZCDRUN=8')).toEqual(['OK']);
    modem.injectPdu(VECTORS.howAreYou);
    const first = at('AT+CMGR=1')[0];
    const second = at('AT+CMGR=1')[0];
    expect([first, second].sort()).toEqual(['+CMGR: ,,30', '+CMGR: 0,,30']);
  });

  it('simcom-sim800: boot URCs in order; SMS commands answer +CMS ERROR: 314 until SMS Ready', () => {
    vi.useFakeTimers();
    const { modem, at, take } = createHarness({
      profile: 'simcom-sim800',
      bootTimeScale: 1,
      now: () => Date.now(),
    });
    expect(at('AT+CCID')).toEqual(['8970101123456789012', 'OK']);
    modem.silentReset();
    // A reset puts echo back on (ATE1 default).
    expect(at('ATE0')).toEqual(['ATE0', 'OK']);
    at('AT+CMEE=1');
    expect(at('AT+CPMS?')).toEqual(['+CMS ERROR: 314']);
    expect(at('AT+CSQ')).toEqual(['+CSQ: 20,99', 'OK']);
    take();
    vi.advanceTimersByTime(2_000);
    expect(take().split('\r\n').filter(Boolean)).toEqual([
      'RDY',
      '+CFUN: 1',
      '+CPIN: READY',
      'Call Ready',
      'SMS Ready',
    ]);
    expect(modem.isSmsReady).toBe(true);
    expect(at('AT+CPMS?')[0]).toMatch(/^\+CPMS: "SM",0,30/);
    modem.dispose();
  });

  it('bootOnStart: a freshly plugged SIM800 is SIM-busy until its boot URCs are out', () => {
    vi.useFakeTimers();
    const { modem, at, take } = createHarness({
      profile: 'simcom-sim800',
      bootOnStart: true,
      bootTimeScale: 1,
      now: () => Date.now(),
    });
    expect(modem.isSmsReady).toBe(false);
    expect(at('AT+CMGL=4')).toEqual(['ERROR']);
    vi.advanceTimersByTime(2_001);
    expect(take()).toContain('SMS Ready');
    expect(at('ATE0')).toEqual(['ATE0', 'OK']);
    expect(at('AT+CMGL=4')).toEqual(['OK']);
    modem.dispose();
  });

  it('quectel-ec25 and simcom-sim7600 announce their own boot sequences', () => {
    vi.useFakeTimers();
    const quectel = createHarness({ profile: 'quectel-ec25', bootTimeScale: 1, now: () => Date.now() });
    expect(quectel.at('AT+QCCID')).toEqual(['+QCCID: 8970101123456789012', 'OK']);
    quectel.modem.silentReset();
    vi.advanceTimersByTime(2_000);
    expect(quectel.take()).toContain('+QUSIM: 1');
    const sim7600 = createHarness({ profile: 'simcom-sim7600', bootTimeScale: 1, now: () => Date.now() });
    sim7600.modem.silentReset();
    vi.advanceTimersByTime(3_000);
    expect(sim7600.take().split('\r\n').filter(Boolean)).toEqual([
      'RDY',
      '+CPIN: READY',
      'SMS DONE',
      'PB DONE',
    ]);
  });

  it('each profile identifies its vendor', () => {
    expect(getModemProfile('huawei-e3372').manufacturer).toMatch(/huawei/i);
    expect(getModemProfile('zte-mf190').manufacturer).toMatch(/ZTE/);
    expect(getModemProfile('simcom-sim800').manufacturer).toMatch(/SIMCOM/);
    expect(getModemProfile('simcom-sim7600').model).toMatch(/SIM7600/);
    expect(getModemProfile('quectel-ec25').manufacturer).toBe('Quectel');
    expect(() => getModemProfile('nokia')).toThrow(expect.objectContaining({ code: 'EMU_UNKNOWN_PROFILE' }));
  });
});

describe.each([
  'generic',
  'huawei-e3372',
  'zte-mf190',
  'simcom-sim800',
  'simcom-sim7600',
  'quectel-ec25',
] as const)('baseline init of quirks.md §0 on %s', (profile) => {
  it('answers OK to every step and then announces a received message', () => {
    const { modem, at, take } = createHarness({ profile });
    for (const command of [
      'AT+CMEE=1',
      'AT+CPIN?',
      'AT+CMGF=0',
      'AT+CPMS="SM","SM","SM"',
      'AT+CNMI=2,1,0,0,0',
      'AT+CMGL=4',
    ]) {
      expect(at(command).at(-1), command).toBe('OK');
    }
    modem.injectPdu(VECTORS.howAreYou);
    const first = modem.profile.firstIndex;
    expect(take()).toMatch(new RegExp(`^\\r\\n\\+CMTI: "SM",${first}\\r\\r?\\n$`));
    expect(at(`AT+CMGR=${first}`).slice(-2)).toEqual([VECTORS.howAreYou, 'OK']);
    expect(at(`AT+CMGD=${first}`)).toEqual(['OK']);
    expect(modem.deletedCount).toBe(1);
  });
});
