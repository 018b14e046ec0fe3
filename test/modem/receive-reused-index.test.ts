import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setup, until } from './driver-harness.js';
import { PDU_HELLO, PDU_WORLD } from './fake-commander.js';

/*
 * A modem hands out the index it just freed to the next message. When storing that next
 * message fails (the store is unreachable), the message stays on the SIM and a later sweep must
 * offer it again, although a message at the same index was deleted before that sweep's listing.
 */

describe('a message in a slot freed by the previous delete', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is offered again by the next poll after its accept was refused', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 1_000 });
    driver.start();
    await until(() => driver.state === 'ready');
    const first = modem.store(PDU_HELLO);
    modem.at.urc(`+CMTI: "SM",${first}`);
    await until(() => modem.storage.size === 0);
    sink.rejectNext = 1;
    const second = modem.store(PDU_WORLD);
    expect(second).toBe(first);
    modem.at.urc(`+CMTI: "SM",${second}`);
    await until(() => modem.storage.size === 0, 5_000);
    expect(sink.accepted.map((sms) => sms.pdu)).toEqual([PDU_HELLO, PDU_WORLD]);
    await driver.stop();
  });
});
