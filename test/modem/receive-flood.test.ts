import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CONCURRENT_INDICATION_READS } from '../../src/modem/receive.js';
import { setup, until } from './driver-harness.js';
import { PDU_HELLO, PDU_WORLD } from './fake-commander.js';

/*
 * A burst of +CMTI (a flood: many messages land on one SIM at once) is read a bounded number
 * at a time, so memory does not hold every read's pending work at once; each message is still
 * handed up once and deleted only after its accept.
 */

describe('a burst of +CMTI on one modem', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads at most MAX_CONCURRENT_INDICATION_READS at a time, and every message once', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 600_000 });
    driver.start();
    await until(() => driver.state === 'ready');
    const sentBefore = modem.sent.length;
    const indexes = Array.from({ length: 12 }, (_, i) => modem.store(i % 2 === 0 ? PDU_HELLO : PDU_WORLD));
    for (const index of indexes) modem.at.urc(`+CMTI: "SM",${index}`);
    await until(() => modem.storage.size === 0, 10_000);

    const commands = modem.sent.slice(sentBefore);
    let open = 0;
    let most = 0;
    for (const command of commands) {
      if (command.startsWith('AT+CMGR=')) open += 1;
      if (command.startsWith('AT+CMGD=')) open -= 1;
      most = Math.max(most, open);
    }
    expect(most).toBe(MAX_CONCURRENT_INDICATION_READS);
    expect(commands.filter((c) => c.startsWith('AT+CMGR=')).sort()).toEqual(
      indexes.map((index) => `AT+CMGR=${index}`).sort(),
    );
    expect(sink.accepted).toHaveLength(indexes.length);
    // Deleted only after accepted: the fake modem's trace has each accept before its delete.
    for (const index of indexes) {
      const accepted = modem.events.indexOf(`accept:${index}`);
      const deleted = modem.events.indexOf(`delete:${index}`);
      expect(accepted, `accept of ${index}`).toBeGreaterThanOrEqual(0);
      expect(deleted).toBeGreaterThan(accepted);
    }
    await driver.stop();
  });
});
