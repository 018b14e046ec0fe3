import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FarmTicker } from '../../src/modem/farm-ticker.js';
import { DEFAULT_MODEM_TIMINGS } from '../../src/modem/options.js';
import { setup, until } from './driver-harness.js';
import {
  advanceUntil,
  emulatedSetup,
  QUICK_DEADLINE_TIMINGS,
  refuseUntilAllowed,
} from './emulated-harness.js';
import { PDU_HELLO } from './fake-commander.js';
import { messagePdus } from './farm-harness.js';

/**
 * How soon a modem is receiving again after each kind of fault, on a fake clock with the
 * default recovery settings (only the watchdog made quick to judge a hang).
 */
const DEFAULTS = QUICK_DEADLINE_TIMINGS;

describe('recovery timing', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a modem answering again after a long hang is set up again and swept within 2.5 s', async () => {
    const { modem, sink, driver } = emulatedSetup('generic', DEFAULTS);
    const states: string[] = [];
    driver.on('stateChanged', (state) => states.push(state));
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    modem.hang();
    const pdus = messagePdus(1, 'gsm7', 1);
    for (const pdu of pdus) modem.injectPdu(pdu);
    await advanceUntil(() => driver.state === 'recovering', 20_000);
    // Deep into the ladder: the back-off between rungs has grown to several seconds by now.
    await vi.advanceTimersByTimeAsync(15_000);
    modem.unhang();
    const recoveredInMs = await advanceUntil(() => pdus.every((pdu) => sink.pdus().includes(pdu)), 10_000);
    expect(recoveredInMs).toBeLessThanOrEqual(2_500);
    expect(states).toContain('recovering');
    expect(modem.storedMessages()).toHaveLength(0);
    await driver.stop();
  });

  it('a hang too short to be judged one: receiving again within 2.5 s of its end', async () => {
    const { modem, sink, driver } = emulatedSetup('generic', { ...DEFAULTS, watchdogMisses: 10 });
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    await vi.advanceTimersByTimeAsync(1_900);
    modem.hang();
    const pdus = messagePdus(1, 'gsm7', 2);
    for (const pdu of pdus) modem.injectPdu(pdu);
    await vi.advanceTimersByTimeAsync(3_000);
    modem.unhang();
    const recoveredInMs = await advanceUntil(() => pdus.every((pdu) => sink.pdus().includes(pdu)), 10_000);
    expect(recoveredInMs).toBeLessThanOrEqual(2_500);
    expect(driver.state).toBe('ready');
    await driver.stop();
  });

  it('a lost +CMTI: the storage count finds the message within one check, and an idle modem is never listed', async () => {
    const { modem, sink, driver } = emulatedSetup('simcom-sim800', DEFAULTS);
    const commands: string[] = [];
    modem.on('command', (line) => commands.push(line));
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    await vi.advanceTimersByTimeAsync(100);
    commands.length = 0;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(commands.filter((c) => c === 'AT+CPMS?')).toHaveLength(
      Math.floor(20_000 / DEFAULT_MODEM_TIMINGS.storageCheckIntervalMs),
    );
    expect(commands.filter((c) => c.startsWith('AT+CMGL'))).toHaveLength(0);
    modem.setCmtiDropped(true);
    const [pdu] = messagePdus(1, 'gsm7', 3) as [string];
    modem.injectPdu(pdu);
    const foundInMs = await advanceUntil(() => sink.pdus().includes(pdu), 10_000);
    expect(foundInMs).toBeLessThanOrEqual(DEFAULT_MODEM_TIMINGS.storageCheckIntervalMs + 100);
    // The promise the default keeps: a message whose +CMTI was lost is taken within 5 s.
    expect(foundInMs).toBeLessThanOrEqual(5_000);
    expect(modem.storedMessages()).toHaveLength(0);
    await driver.stop();
  });

  it('on the farm-wide ticker: one check per interval, and a lost +CMTI found within one', async () => {
    const interval = DEFAULT_MODEM_TIMINGS.storageCheckIntervalMs;
    const ticker = new FarmTicker(interval);
    // Another modem of the farm shares the ticker (its own group).
    const neighbour = ticker.add(() => {});
    const { modem, sink, driver } = emulatedSetup('simcom-sim800', DEFAULTS, {}, { storageTicker: ticker });
    const commands: string[] = [];
    modem.on('command', (line) => commands.push(line));
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    await vi.advanceTimersByTimeAsync(100);
    commands.length = 0;
    await vi.advanceTimersByTimeAsync(interval * 6);
    // The ready modem's check is a member of the ticker, not a timer of its own.
    expect(ticker.size).toBe(2);
    expect(commands.filter((c) => c === 'AT+CPMS?')).toHaveLength(6);
    modem.setCmtiDropped(true);
    const [pdu] = messagePdus(1, 'gsm7', 5) as [string];
    modem.injectPdu(pdu);
    const foundInMs = await advanceUntil(() => sink.pdus().includes(pdu), 10_000);
    expect(foundInMs).toBeLessThanOrEqual(interval + 100);
    await driver.stop();
    // The stopped driver left the ticker; the neighbour is all that is left.
    expect(ticker.size).toBe(1);
    neighbour();
  });

  it('keeps its own timer when the farm ticker runs at another period', async () => {
    const ticker = new FarmTicker(60_000);
    const { modem, driver } = emulatedSetup('simcom-sim800', DEFAULTS, {}, { storageTicker: ticker });
    const commands: string[] = [];
    modem.on('command', (line) => commands.push(line));
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    await vi.advanceTimersByTimeAsync(100);
    commands.length = 0;
    await vi.advanceTimersByTimeAsync(DEFAULT_MODEM_TIMINGS.storageCheckIntervalMs * 4);
    expect(commands.filter((c) => c === 'AT+CPMS?')).toHaveLength(4);
    expect(ticker.size).toBe(0);
    await driver.stop();
  });

  it('a message kept on the modem (refused by the store) does not make every check list the storage', async () => {
    const { modem, sink, driver } = emulatedSetup('simcom-sim800', DEFAULTS);
    const commands: string[] = [];
    modem.on('command', (line) => commands.push(line));
    const store = refuseUntilAllowed(sink);
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    const [pdu] = messagePdus(1, 'gsm7', 4) as [string];
    modem.injectPdu(pdu);
    await vi.advanceTimersByTimeAsync(5_000);
    commands.length = 0;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(commands.filter((c) => c.startsWith('AT+CMGL'))).toHaveLength(0);
    store.allow();
    await advanceUntil(() => sink.pdus().includes(pdu), 35_000);
    await driver.stop();
  });

  it('SMS Ready during the init cuts the SIM-busy back-off short', async () => {
    const { modem, driver } = emulatedSetup('simcom-sim800', {
      ...DEFAULTS,
      simBusyRetryMs: 5_000,
      simBusyMaxDelayMs: 5_000,
    });
    modem.holdSmsBusy(3_000);
    driver.start();
    await advanceUntil(() => driver.state === 'initializing');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(modem.isSmsReady).toBe(true);
    const readyInMs = await advanceUntil(() => driver.state === 'ready', 10_000);
    expect(readyInMs).toBeLessThanOrEqual(200);
    await driver.stop();
  });

  it('a read refused with SIM busy is read again after simBusyReadRetryMs, not at the next sweep', async () => {
    const { modem, sink, driver } = setup({
      pollIntervalMs: 600_000,
      storageCheckIntervalMs: 600_000,
      simBusyReadRetryMs: 1_000,
    });
    let busyReads = 2;
    modem.on(/^AT\+CMGR=1$/, () => {
      if (busyReads > 0) {
        busyReads -= 1;
        return { final: { kind: 'cms', code: 314 } };
      }
      const message = modem.storage.get(1);
      return { lines: [`+CMGR: 0,,39`, message?.pdu ?? ''] };
    });
    driver.start();
    await until(() => driver.state === 'ready' && modem.count(/^AT\+CMGL/) === 1);
    modem.store(PDU_HELLO);
    const startedAt = Date.now();
    modem.at.urc('+CMTI: "SM",1');
    await until(() => sink.accepted.length === 1, 5_000);
    const tookMs = Date.now() - startedAt;
    expect(tookMs).toBeGreaterThanOrEqual(2_000);
    expect(tookMs).toBeLessThanOrEqual(2_200);
    expect(modem.count(/^AT\+CMGR=1$/)).toBe(3);
    expect(modem.storage.size).toBe(0);
    await driver.stop();
  });

  it('a listing refused with SIM busy is tried again after simBusyReadRetryMs', async () => {
    const { modem, sink, driver } = setup({
      pollIntervalMs: 600_000,
      storageCheckIntervalMs: 600_000,
      simBusyReadRetryMs: 1_000,
    });
    let busyListings = 1;
    modem.store(PDU_HELLO);
    modem.on(/^AT\+CMGL=4$/, () => {
      if (busyListings > 0) {
        busyListings -= 1;
        return { final: { kind: 'cms', code: 314 } };
      }
      const lines: string[] = [];
      for (const [index, m] of modem.storage) lines.push(`+CMGL: ${index},${m.status},,39`, m.pdu);
      return { lines };
    });
    driver.start();
    await until(() => driver.state === 'ready' && modem.count(/^AT\+CMGL/) === 1);
    const startedAt = Date.now();
    await until(() => sink.accepted.length === 1, 5_000);
    expect(Date.now() - startedAt).toBeLessThanOrEqual(1_100);
    await driver.stop();
  });
});
