import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { advanceUntil, emulatedSetup } from './emulated-harness.js';
import { messagePdus } from './farm-harness.js';

/**
 * A slot emptied by a delete and filled again while its +CMTI is lost: nothing else happens on
 * the modem, so only the sweep can find the new message. It must be read, handed up and
 * deleted like any other, however the earlier message left the slot.
 */
describe('a message landing in a slot emptied earlier, its +CMTI lost', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function readyWithFirstMessageDeleted(
    profile: 'simcom-sim800' | 'zte-mf190' | 'generic' = 'simcom-sim800',
  ) {
    const rig = emulatedSetup(profile, { pollIntervalMs: 1_000 });
    rig.driver.start();
    await advanceUntil(() => rig.driver.state === 'ready');
    const [a] = messagePdus(1, 'gsm7', 1) as [string];
    rig.modem.injectPdu(a);
    await advanceUntil(() => rig.sink.pdus().includes(a) && rig.deleted.length === 1);
    const firstIndex = rig.modem.profile.firstIndex;
    expect(rig.deleted).toEqual([{ index: firstIndex, pdu: a }]);
    return { ...rig, a, firstIndex };
  }

  it('SIMCom: A read by +CMTI and deleted from index 1, then B in index 1 without +CMTI: the sweep takes B', async () => {
    const { modem, sink, driver, deleted, a, firstIndex } = await readyWithFirstMessageDeleted();
    expect(firstIndex).toBe(1);
    const [b] = messagePdus(1, 'gsm7', 2) as [string];
    modem.dropNextCmti(1);
    const cmtiBefore = modem.cmtiSentCount;
    modem.injectPdu(b);
    expect(modem.storedMessages().map((m) => m.index)).toEqual([1]);
    await advanceUntil(() => modem.storedMessages().length === 0, 5_000);
    expect(modem.cmtiSentCount).toBe(cmtiBefore);
    expect(sink.pdus()).toEqual([a, b]);
    expect(deleted).toEqual([
      { index: 1, pdu: a },
      { index: 1, pdu: b },
    ]);
    await driver.stop();
  });

  it('the same after garbage bytes and a burst of vendor URCs', async () => {
    const { modem, sink, driver, deleted, a } = await readyWithFirstMessageDeleted('zte-mf190');
    const [b] = messagePdus(1, 'gsm7', 3) as [string];
    modem.sendGarbage(96);
    modem.urcStorm(40);
    modem.dropNextCmti(1);
    modem.injectPdu(b);
    modem.urcStorm(40);
    modem.sendGarbage(96);
    await advanceUntil(() => modem.storedMessages().length === 0, 5_000);
    expect(sink.pdus()).toEqual([a, b]);
    expect(deleted.map((d) => d.pdu)).toEqual([a, b]);
    await driver.stop();
  });

  it('a slot emptied by the sweep itself and refilled without +CMTI is read by the next sweep', async () => {
    const rig = emulatedSetup('simcom-sim800', { pollIntervalMs: 1_000 });
    const [a, b] = [messagePdus(1, 'gsm7', 4)[0] as string, messagePdus(1, 'gsm7', 5)[0] as string];
    rig.modem.dropNextCmti(1);
    rig.driver.start();
    await advanceUntil(() => rig.driver.state === 'ready');
    rig.modem.injectPdu(a);
    await advanceUntil(() => rig.deleted.length === 1, 5_000);
    rig.modem.dropNextCmti(1);
    rig.modem.injectPdu(b);
    await advanceUntil(() => rig.deleted.length === 2, 5_000);
    expect(rig.deleted).toEqual([
      { index: 1, pdu: a },
      { index: 1, pdu: b },
    ]);
    expect(rig.sink.pdus()).toEqual([a, b]);
    await rig.driver.stop();
  });
});
