import { afterAll, beforeAll, expect, it } from 'vitest';
import { liveChildCount } from '../../src/emulator/child-registry.js';
import { messagePdus, PROFILE_MIX, PtyFarm, waitFor } from '../modem/farm-harness.js';
import { describeWithPty } from '../support/describe-with.js';

const MODEMS = 16;

describeWithPty('modem farm over real ptys (16 emulated modems, every vendor profile)', () => {
  const farm = new PtyFarm();

  beforeAll(async () => {
    for (let slot = 0; slot < MODEMS; slot += 1) {
      await farm.addModem(slot, PROFILE_MIX[slot % PROFILE_MIX.length] ?? 'generic');
    }
    const manager = await farm.startManager();
    await waitFor(
      () => manager.snapshots().filter((s) => s.state === 'ready').length === MODEMS,
      15_000,
      'all modems ready',
    );
  }, 30_000);

  afterAll(async () => {
    await farm.stop();
    // Every socat relay is gone, and nothing of ours keeps a port open.
    expect(liveChildCount()).toBe(0);
  });

  it('identifies every modem with its vendor and SIM', () => {
    const snapshots = farm.manager?.snapshots() ?? [];
    expect(snapshots).toHaveLength(MODEMS);
    const vendors = new Set(snapshots.map((s) => s.identity?.vendor));
    expect(vendors).toEqual(new Set(['generic', 'huawei', 'zte', 'simcom', 'quectel']));
    for (const modem of farm.modems) {
      const snapshot = snapshots.find((s) => s.identity?.iccid === modem.identity.iccid);
      expect(snapshot?.identity?.imsi).toBe(modem.identity.imsi);
      expect(snapshot?.identity?.imei).toBe(modem.identity.imei);
    }
  });

  it('hands every single and multipart GSM 7-bit / UCS-2 message to the sink and deletes each part only after its ack', async () => {
    const expected = new Map<string, string[]>();
    for (const [slot, modem] of farm.modems.entries()) {
      const pdus = [
        ...messagePdus(slot, 'gsm7'),
        ...messagePdus(slot, 'ucs2'),
        ...messagePdus(slot, 'gsm7-long', 1),
        ...messagePdus(slot, 'ucs2-long', 2),
      ];
      expected.set(modem.identity.iccid, pdus);
      for (const pdu of pdus) modem.injectPdu(pdu);
    }
    const total = [...expected.values()].reduce((n, pdus) => n + pdus.length, 0);
    const elapsed = await waitFor(
      () => farm.modems.every((m) => m.storedMessages().length === 0 && m.networkQueueLength === 0),
      20_000,
      'all storage drained',
    );
    for (const modem of farm.modems) {
      const got = farm.acceptedPdus(modem).sort();
      expect(got).toEqual([...(expected.get(modem.identity.iccid) ?? [])].sort());
    }
    expect(farm.deleted).toHaveLength(total);
    expect(farm.deletionsWithoutPriorAccept()).toEqual([]);
    console.log(
      `farm: ${total} PDUs from ${MODEMS} modems accepted and deleted in ${Math.round(elapsed)} ms`,
    );
  }, 30_000);
});
