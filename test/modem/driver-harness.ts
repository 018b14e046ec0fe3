import { vi } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { ModemDriver } from '../../src/modem/modem-driver.js';
import type { ModemTimings } from '../../src/modem/options.js';
import type { ReceivedSms, SmsSink } from '../../src/modem/types.js';
import { FakeChannel, FakeModem } from './fake-commander.js';

/** A sink whose answers tests control; it records when each accept resolved. */
export class TestSink implements SmsSink {
  readonly accepted: ReceivedSms[] = [];
  /** Rejects the next n accepts. */
  rejectNext = 0;
  constructor(readonly modem: FakeModem) {}

  async accept(sms: ReceivedSms): Promise<void> {
    if (this.rejectNext > 0) {
      this.rejectNext -= 1;
      throw new Error('store unavailable');
    }
    this.accepted.push(sms);
    const where = sms.origin.kind === 'stored' ? String(sms.origin.index) : 'direct';
    this.modem.events.push(`accept:${where}`);
  }
}

export const FAST: Partial<ModemTimings> = {
  pollIntervalMs: 10_000,
  watchdogIntervalMs: 1_000,
  watchdogTimeoutMs: 200,
  watchdogMisses: 2,
  simBusyRetryMs: 100,
  simBusyMaxDelayMs: 400,
  simBusyGiveUpMs: 5_000,
  recoveryBackoffBaseMs: 100,
  recoveryBackoffMaxMs: 1_000,
  resetSettleMs: 100,
  radioIntervalMs: 60_000,
  commandTimeoutMs: 300,
};

export function setup(timings: Partial<ModemTimings> = {}) {
  const modem = new FakeModem();
  const sink = new TestSink(modem);
  const channels: FakeChannel[] = [];
  let portPresent = true;
  const driver = new ModemDriver({
    port: '/dev/gsm/slot01',
    sink,
    log: silentLogger(),
    openChannel: async () => {
      if (!portPresent) throw new Error('ENOENT');
      const channel = new FakeChannel();
      channels.push(channel);
      return channel;
    },
    createCommander: () => modem.commander(),
    timings: { ...FAST, ...timings },
    goneRetryMs: 500,
  });
  return {
    modem,
    sink,
    driver,
    channels,
    setPortPresent(present: boolean) {
      portPresent = present;
    },
  };
}

/** Advances fake time in small steps until `condition` holds (or fails after `limitMs`). */
export async function until(condition: () => boolean, limitMs = 30_000, stepMs = 10): Promise<void> {
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    if (condition()) return;
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  throw new Error(`condition not met within ${limitMs} ms of fake time`);
}
