import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEM_TIMINGS } from '../../src/modem/options.js';
import { EMPTY_POLLS_PER_LISTING } from '../../src/modem/ready-tasks.js';
import { setup, until } from './driver-harness.js';
import {
  advanceUntil,
  emulatedSetup,
  QUICK_DEADLINE_TIMINGS,
  refuseUntilAllowed,
} from './emulated-harness.js';
import { PDU_HELLO } from './fake-commander.js';
import { messagePdus } from './farm-harness.js';

/** The default timings, the watchdog and deadlines made quick. */
const DEFAULTS = QUICK_DEADLINE_TIMINGS;
const { storageCheckIntervalMs: CHECK_MS, pollIntervalMs: POLL_MS } = DEFAULT_MODEM_TIMINGS;

/** What an idle modem is sent: the command count is what an idle farm's CPU follows. */
describe('idle modem commands', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a minute idle: a count per check, the poll on one of them, the radio as one line, no listing', async () => {
    const { modem, driver } = emulatedSetup('simcom-sim800', DEFAULTS);
    const commands: string[] = [];
    modem.on('command', (line) => commands.push(line));
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    await vi.advanceTimersByTimeAsync(100);
    commands.length = 0;
    await vi.advanceTimersByTimeAsync(60_000);
    const checks = 60_000 / CHECK_MS;
    const polls = 60_000 / POLL_MS;
    expect(commands.filter((c) => c === 'AT+CPMS?;+CNMI?')).toHaveLength(polls);
    expect(commands.filter((c) => c === 'AT+CPMS?')).toHaveLength(checks - polls);
    expect(commands.filter((c) => c === 'AT+COPS?;+CSQ;+CREG?')).toHaveLength(1);
    expect(commands).toHaveLength(checks + 1);
    // The radio read that way still reaches the status page.
    expect(driver.snapshot()).toMatchObject({ registered: true });
    expect(driver.snapshot().signal).not.toBeNull();
    await driver.stop();
  });

  it(`an empty storage is still listed on every ${EMPTY_POLLS_PER_LISTING}th poll`, async () => {
    const { modem, driver } = emulatedSetup('simcom-sim800', DEFAULTS);
    const listings: number[] = [];
    modem.on('command', (line) => {
      if (line.startsWith('AT+CMGL')) listings.push(Date.now());
    });
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    listings.length = 0;
    await vi.advanceTimersByTimeAsync(POLL_MS * EMPTY_POLLS_PER_LISTING * 2 + 1_000);
    expect(listings).toHaveLength(2);
    await driver.stop();
  });

  it('a message kept on the modem is offered again at the next poll, not at every check', async () => {
    const { modem, sink, driver } = emulatedSetup('simcom-sim800', DEFAULTS);
    const listings: number[] = [];
    modem.on('command', (line) => {
      if (line.startsWith('AT+CMGL')) listings.push(Date.now());
    });
    const store = refuseUntilAllowed(sink);
    driver.start();
    await advanceUntil(() => driver.state === 'ready');
    const [pdu] = messagePdus(1, 'gsm7', 6) as [string];
    modem.injectPdu(pdu);
    // Read on its +CMTI and refused, listed on the next check's count and refused again.
    await vi.advanceTimersByTimeAsync(CHECK_MS * 2 + 500);
    expect(sink.pdus()).not.toContain(pdu);
    store.allow();
    listings.length = 0;
    const tookMs = await advanceUntil(() => sink.pdus().includes(pdu), POLL_MS + CHECK_MS + 1_000);
    // One listing, at the poll: the count equal to what the last sweep left starts none.
    expect(listings).toHaveLength(1);
    expect(tookMs).toBeGreaterThan(CHECK_MS);
    expect(modem.storedMessages()).toHaveLength(0);
    await driver.stop();
  });

  it('the poll riding on a check still finds CNMI back at its default and sets the modem up again', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 1_000, storageCheckIntervalMs: 250 });
    driver.start();
    await until(() => driver.state === 'ready');
    await vi.advanceTimersByTimeAsync(2_500);
    expect(modem.count(/^AT\+CPMS\?;\+CNMI\?$/)).toBeGreaterThanOrEqual(2);
    expect(modem.count(/^AT\+CNMI\?$/)).toBe(0);
    expect(driver.snapshot().resets).toBe(0);
    modem.cnmiSetting = '0,0,0,0,0';
    modem.store(PDU_HELLO);
    await until(() => driver.snapshot().resets === 1 && sink.accepted.length === 1, 1_500);
    expect(modem.count(/^AT\+CNMI=2,1,0,0,0$/)).toBe(2);
    await driver.stop();
  });

  it('a modem refusing a line of several commands is asked one command at a time from then on', async () => {
    const { modem, driver } = setup({ pollIntervalMs: 1_000, storageCheckIntervalMs: 250 });
    modem.combinedLines = false;
    driver.start();
    await until(() => driver.state === 'ready');
    await vi.advanceTimersByTimeAsync(3_500);
    expect(modem.count(/;/)).toBe(1);
    expect(modem.count(/^AT\+CNMI\?$/)).toBe(3);
    expect(driver.snapshot().resets).toBe(0);
    modem.cnmiSetting = '0,0,0,0,0';
    await until(() => driver.snapshot().resets === 1, 1_500);
    await driver.stop();
  });

  it('with the check slower than the poll, the poll keeps its own timer and lists every time', async () => {
    const { modem, driver } = setup({ pollIntervalMs: 1_000, storageCheckIntervalMs: 60_000 });
    driver.start();
    await until(() => driver.state === 'ready');
    const before = modem.count(/^AT\+CMGL/);
    await vi.advanceTimersByTimeAsync(3_050);
    expect(modem.count(/^AT\+CMGL/) - before).toBe(3);
    expect(modem.count(/^AT\+CNMI\?$/)).toBe(3);
    await driver.stop();
  });
});
