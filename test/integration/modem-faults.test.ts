import { afterEach, expect, it } from 'vitest';
import type { EmulatedModem } from '../../src/emulator/modem.js';
import type { EmulatedModemOptions, ModemProfileName } from '../../src/emulator/types.js';
import { messagePdus, PtyFarm, waitFor } from '../modem/farm-harness.js';
import {
  figuresOverFiveSeconds,
  formatFigures,
  measureFaultRecovery,
  SHORT_FAULTS,
} from '../modem/fault-recovery.js';
import { describeWithPty } from '../support/describe-with.js';

/**
 * Each fault mode of the emulator against the real stack (pty, serialport, AT engine, driver,
 * manager): every message injected around the fault reaches the sink, and every deletion
 * follows the accept of the same PDU.
 */
describeWithPty('modem faults over real ptys lose nothing', () => {
  let farm: PtyFarm | null = null;

  afterEach(async () => {
    await farm?.stop();
    farm = null;
  });

  async function oneModem(
    profile: ModemProfileName = 'generic',
    options: EmulatedModemOptions = {},
    waitReady = true,
  ): Promise<{ farm: PtyFarm; modem: EmulatedModem }> {
    farm = new PtyFarm();
    const modem = await farm.addModem(1, profile, options);
    const manager = await farm.startManager();
    if (waitReady) await waitFor(() => manager.snapshots()[0]?.state === 'ready', 10_000, 'modem ready');
    return { farm, modem };
  }

  async function expectAllDelivered(f: PtyFarm, modem: EmulatedModem, pdus: string[], limitMs = 10_000) {
    await waitFor(
      () => pdus.every((pdu) => f.acceptedPdus(modem).includes(pdu)) && modem.storedMessages().length === 0,
      limitMs,
      'every PDU accepted and storage drained',
    );
    expect(f.deletionsWithoutPriorAccept()).toEqual([]);
  }

  it('hang: recovers once the firmware answers again', async () => {
    const { farm: f, modem } = await oneModem();
    modem.hang();
    const pdus = [...messagePdus(1, 'gsm7'), ...messagePdus(1, 'ucs2-long')];
    for (const pdu of pdus) modem.injectPdu(pdu);
    await waitFor(() => f.manager?.snapshots()[0]?.state === 'recovering', 5_000, 'recovering');
    modem.unhang();
    await expectAllDelivered(f, modem, pdus);
    expect(f.manager?.snapshots()[0]?.state).toBe('ready');
  }, 20_000);

  it('unplug + replug on a new path: receiving again within 5 s, same SIM history', async () => {
    const { farm: f, modem } = await oneModem('huawei-e3372');
    const firstPath = f.relays[0]?.path;
    const before = messagePdus(1, 'gsm7', 1);
    for (const pdu of before) modem.injectPdu(pdu);
    await expectAllDelivered(f, modem, before);
    modem.unplug();
    await f.relays[0]?.ready();
    await waitFor(() => f.manager?.snapshots()[0]?.state === 'gone', 5_000, 'gone');
    const after = messagePdus(1, 'ucs2', 2);
    const replugAt = performance.now();
    modem.replug();
    for (const pdu of after) modem.injectPdu(pdu);
    await waitFor(
      () => after.every((pdu) => f.acceptedPdus(modem).includes(pdu)),
      5_000,
      'received after replug',
    );
    const replugToReceivingMs = performance.now() - replugAt;
    console.log(`replug -> receiving again: ${Math.round(replugToReceivingMs)} ms`);
    expect(replugToReceivingMs).toBeLessThan(5_000);
    await expectAllDelivered(f, modem, after);
    const snapshots = f.manager?.snapshots() ?? [];
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.port).not.toBe(firstPath);
    expect(snapshots[0]?.port).toBe(f.relays[0]?.path);
    expect(snapshots[0]?.reconnects).toBe(1);
    expect(snapshots[0]?.lastSmsAt).not.toBeNull();
  }, 20_000);

  it('garbage bytes on the line', async () => {
    const { farm: f, modem } = await oneModem('zte-mf190');
    const pdus: string[] = [];
    for (let tag = 0; tag < 4; tag += 1) {
      modem.sendGarbage(128);
      const part = messagePdus(1, tag % 2 === 0 ? 'gsm7' : 'ucs2', tag);
      pdus.push(...part);
      for (const pdu of part) modem.injectPdu(pdu);
      modem.sendGarbage(64);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await expectAllDelivered(f, modem, pdus);
  }, 20_000);

  it('dropped +CMTI: the poll finds the messages', async () => {
    const { farm: f, modem } = await oneModem();
    modem.dropNextCmti(3);
    const pdus = [...messagePdus(1, 'gsm7'), ...messagePdus(1, 'gsm7-long', 1)];
    for (const pdu of pdus) modem.injectPdu(pdu);
    await expectAllDelivered(f, modem, pdus, 5_000);
  }, 20_000);

  it('slow replies', async () => {
    const { farm: f, modem } = await oneModem('quectel-ec25');
    modem.setReplyDelay(250);
    const pdus = [...messagePdus(1, 'ucs2'), ...messagePdus(1, 'gsm7-long', 1)];
    for (const pdu of pdus) modem.injectPdu(pdu);
    await expectAllDelivered(f, modem, pdus, 15_000);
  }, 25_000);

  it('SIM busy at boot', async () => {
    const { farm: f, modem } = await oneModem('simcom-sim800', { simBusyCommands: 12 }, false);
    const pdus = messagePdus(1, 'gsm7');
    for (const pdu of pdus) modem.injectPdu(pdu);
    await expectAllDelivered(f, modem, pdus);
    expect(f.manager?.snapshots()[0]?.state).toBe('ready');
  }, 20_000);

  it('storage full (Huawei ^SMMEMFULL): drains at once and takes the held-back messages', async () => {
    const { farm: f, modem } = await oneModem('huawei-e3372', { simCapacity: 2 });
    const pdus: string[] = [];
    for (let tag = 0; tag < 4; tag += 1) pdus.push(...messagePdus(1, 'gsm7', tag));
    pdus.push(...messagePdus(1, 'ucs2-long', 9));
    for (const pdu of pdus) modem.injectPdu(pdu);
    await expectAllDelivered(f, modem, pdus);
    expect(modem.networkQueueLength).toBe(0);
  }, 20_000);

  it('a refused accept keeps the message until the sink takes it', async () => {
    const { farm: f, modem } = await oneModem();
    f.rejectNext = 2;
    const pdus = messagePdus(1, 'gsm7');
    for (const pdu of pdus) modem.injectPdu(pdu);
    await expectAllDelivered(f, modem, pdus);
    expect(f.rejectNext).toBe(0);
  }, 20_000);

  it('silent reset: settings re-applied, receiving continues', async () => {
    const { farm: f, modem } = await oneModem('simcom-sim7600');
    modem.silentReset();
    const pdus = [...messagePdus(1, 'gsm7'), ...messagePdus(1, 'ucs2')];
    for (const pdu of pdus) modem.injectPdu(pdu);
    await expectAllDelivered(f, modem, pdus);
    await waitFor(() => (f.manager?.snapshots()[0]?.resets ?? 0) >= 1, 3_000, 'reset counted');
    expect(modem.settings).toMatchObject({ messageFormat: 0, cnmi: [2, 1, 0, 0, 0] });
  }, 20_000);

  it('silent reset of a Huawei (only ^BOOT, which is also noise): the poll notices and re-initialises', async () => {
    const { farm: f, modem } = await oneModem('huawei-e3372');
    modem.silentReset();
    await waitFor(() => (f.manager?.snapshots()[0]?.resets ?? 0) >= 1, 3_000, 'reset noticed by the poll');
    await waitFor(() => modem.settings.cnmi[1] === 1, 3_000, 'CNMI set again');
    const pdus = messagePdus(1, 'ucs2');
    for (const pdu of pdus) modem.injectPdu(pdu);
    await expectAllDelivered(f, modem, pdus);
    expect(modem.counters.cmtiSent).toBeGreaterThan(0);
  }, 20_000);

  it('every fault, shortened, each on its own modem at once: recovered and caught up within 5 s', async () => {
    // The hang must be judged one within its 2 s, so the storage check runs and times out quickly.
    const figures = await measureFaultRecovery(SHORT_FAULTS, {
      timings: { storageCheckIntervalMs: 500, storageCheckTimeoutMs: 300, watchdogMisses: 2 },
      rescanIntervalMs: 500,
    });
    console.log(`modem recovery, shortened faults\n${formatFigures(figures)}`);
    expect(figures[0]?.states).toContain('recovering');
    expect(figuresOverFiveSeconds(figures)).toEqual([]);
  }, 60_000);
});
