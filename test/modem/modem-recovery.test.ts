import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { initializeModem } from '../../src/modem/init.js';
import { resolveTimings } from '../../src/modem/options.js';
import { FAST, setup, until } from './driver-harness.js';
import { FakeModem, PDU_HELLO } from './fake-commander.js';

describe('ModemDriver recovery', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(['RDY', '+CFUN: 1', '+CPIN: READY', 'SMS Ready', '+QIND: SMS DONE'])(
    're-applies settings and sweeps after an unexpected %s',
    async (line) => {
      const { modem, sink, driver } = setup({ pollIntervalMs: 600_000 });
      const states: string[] = [];
      driver.on('stateChanged', (state) => states.push(state));
      driver.start();
      await until(() => driver.state === 'ready' && modem.count(/^AT\+CMGL/) === 1);
      modem.store(PDU_HELLO);
      modem.at.urc(line);
      await until(() => modem.count(/^AT\+CNMI=2/) === 2 && sink.accepted.length === 1);
      expect(modem.count(/^AT\+CMGF=0$/)).toBe(2);
      expect(driver.snapshot().resets).toBe(1);
      expect(states).toEqual(['initializing', 'ready', 'initializing', 'ready']);
      await driver.stop();
    },
  );

  it('re-initialises when a poll finds CNMI back at its default (reset without a known boot URC)', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 1_000 });
    let cnmi = '+CNMI: 2,1,0,0,0';
    modem.on(/^AT\+CNMI\?$/, () => ({ lines: [cnmi] }));
    modem.on(/^AT\+CNMI=2,1,0,0,0$/, () => {
      cnmi = '+CNMI: 2,1,0,0,0';
      return {};
    });
    driver.start();
    await until(() => driver.state === 'ready');
    await vi.advanceTimersByTimeAsync(2_500);
    expect(driver.snapshot().resets).toBe(0);
    cnmi = '+CNMI: 0,0,0,0,0';
    modem.store(PDU_HELLO);
    await until(() => driver.snapshot().resets === 1 && sink.accepted.length === 1, 5_000);
    expect(modem.count(/^AT\+CNMI=2,1,0,0,0$/)).toBe(2);
    await driver.stop();
  });

  it('re-initialises when the listing is refused (back in text mode after an unnoticed reset)', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 1_000 });
    let textMode = false;
    modem.on(/^AT\+CMGL=4$/, () => (textMode ? { final: { kind: 'error' } } : { lines: [] }));
    modem.on(/^AT\+CMGF=0$/, () => {
      textMode = false;
      return {};
    });
    driver.start();
    await until(() => driver.state === 'ready');
    textMode = true;
    await until(() => driver.snapshot().resets === 1, 3_000);
    await until(() => driver.state === 'ready' && !textMode);
    expect(modem.count(/^AT\+CMGF=0$/)).toBe(2);
    expect(sink.accepted).toHaveLength(0);
    await driver.stop();
  });

  it('retries while the SIM is busy at boot, then becomes ready', async () => {
    const { modem, driver } = setup();
    modem.simBusyCount = 4;
    driver.start();
    await until(() => driver.state === 'ready');
    expect(modem.count(/^AT\+CPIN\?$/)).toBe(5);
    await driver.stop();
  });

  it('recovers from a hang: re-init, then reopen of the port', async () => {
    const { modem, driver, channels } = setup();
    driver.start();
    await until(() => driver.state === 'ready');
    modem.hung = true;
    await until(() => driver.state === 'recovering', 5_000);
    await vi.advanceTimersByTimeAsync(1_500);
    modem.hung = false;
    await until(() => driver.state === 'ready', 10_000);
    expect(channels.length).toBeGreaterThanOrEqual(2);
    modem.store(PDU_HELLO);
    await driver.sweepNow();
    expect(modem.storage.size).toBe(0);
    await driver.stop();
  });

  it.each([
    ['FakeCorp', 'AT+CFUN=0', 'AT+CFUN=1,1'],
    ['huawei', 'AT+CFUN=0', 'AT+CFUN=1,1'],
    ['Quectel', 'AT+CFUN=1,1', 'AT+CFUN=0'],
  ])('escalates a long hang on %s to its vendor reset (%s, never %s)', async (manufacturer, sent, never) => {
    const { modem, driver, channels } = setup();
    modem.manufacturer = manufacturer;
    driver.start();
    await until(() => driver.state === 'ready');
    modem.hung = true;
    await until(() => modem.sent.includes(sent), 20_000);
    expect(modem.sent).not.toContain(never);
    expect(channels.length).toBeGreaterThanOrEqual(2);
    modem.hung = false;
    await until(() => driver.state === 'ready', 20_000);
    await driver.stop();
  });

  it('goes gone on unplug and comes back when the port returns, keeping its counters', async () => {
    const { modem, driver, channels, setPortPresent } = setup();
    driver.start();
    await until(() => driver.state === 'ready');
    setPortPresent(false);
    channels[0]?.unplug();
    await until(() => driver.state === 'gone');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(driver.state).toBe('gone');
    setPortPresent(true);
    modem.store(PDU_HELLO);
    driver.reconnect();
    await until(() => modem.storage.size === 0);
    expect(driver.snapshot()).toMatchObject({ state: 'ready', reconnects: 1 });
    await driver.stop();
  });

  it('falls back to text mode when PDU mode is refused', async () => {
    const { modem, sink, driver } = setup();
    modem.pduMode = false;
    modem.on(/^AT\+CMGL="ALL"$/, () => ({
      lines: [
        '+CMGL: 3,"REC UNREAD","002B00330031003600320038",,"24/11/25,10:26:26+08",145,5',
        '00480065006C006C006F',
      ],
    }));
    modem.on(/^AT\+CMGD=3$/, () => {
      modem.events.push('delete:3');
      modem.on(/^AT\+CMGL="ALL"$/, () => ({ lines: [] }));
      return {};
    });
    driver.start();
    await until(() => modem.events.includes('delete:3'));
    expect(modem.sent).toEqual(expect.arrayContaining(['AT+CMGF=1', 'AT+CSCS="UCS2"', 'AT+CSDH=1']));
    expect(sink.accepted[0]?.textMode).toEqual({
      sender: '+31628',
      senderType: 'international',
      text: 'Hello',
      rawBody: '00480065006C006C006F',
      timestamp: '2024-11-25T10:26:26+02:00',
      alpha: null,
    });
    expect(modem.events).toEqual(['accept:3', 'delete:3']);
    await driver.stop();
  });
});

describe('initializeModem SIM errors', () => {
  const run = (modem: FakeModem) =>
    initializeModem({ at: modem.commander(), log: silentLogger(), timings: resolveTimings(FAST) });

  it.each([
    ['+CPIN: SIM PIN', { kind: 'ok' } as const, 'MODEM_SIM_LOCKED'],
    ['+CPIN: SIM PUK', { kind: 'ok' } as const, 'MODEM_SIM_LOCKED'],
    ['', { kind: 'cme', code: 10 } as const, 'MODEM_NO_SIM'],
    ['', { kind: 'cms', code: 310 } as const, 'MODEM_NO_SIM'],
  ])('%s %j -> %s', async (answer, final, code) => {
    const modem = new FakeModem();
    modem.cpinAnswer = answer;
    modem.cpinFinal = final;
    await expect(run(modem)).rejects.toMatchObject({ code });
    expect(modem.count(/^AT\+CMGF/)).toBe(0);
  });

  it('gives up with MODEM_SIM_BUSY when the SIM never becomes ready', async () => {
    vi.useFakeTimers();
    const modem = new FakeModem();
    modem.simBusyCount = 1_000;
    const result = run(modem).catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await result).toMatchObject({ code: 'MODEM_SIM_BUSY' });
    vi.useRealTimers();
  });

  it('reads identity, ICCID and settings from a healthy modem', async () => {
    const modem = new FakeModem();
    const result = await run(modem);
    expect(result.identity).toEqual({
      manufacturer: 'FakeCorp',
      model: 'FM-1',
      revision: '1.0',
      imei: '490154203237518',
      imsi: '250011234567890',
      iccid: '89701012345678901234',
      // The fake stores no number (AT+CNUM answers ERROR): nothing to discover from the SIM.
      ownNumber: null,
      vendor: 'generic',
    });
    expect(result.settings).toEqual({
      mode: 'pdu',
      charset: null,
      csdh: false,
      storage: 'SM',
      delivery: 'stored',
      ackWithCnma: false,
      indications: 'AT+CNMI=2,1,0,0,0',
    });
    expect(result.radio).toEqual({ operator: 'Fake Net', signal: 20, registered: true });
    expect(modem.sent).toContain('AT+CPMS="SM","SM","SM"');
    expect(modem.sent).toContain('AT+CNMI=2,1,0,0,0');
    expect(modem.sent).not.toContain('AT+CSMS=1');
  });
});
