import { afterAll, beforeAll, expect, it } from 'vitest';
import { BenchRig } from '../bench/lib/bench-rig.js';
import { delay } from '../integration/support/wait.js';
import { CHAOS_TIMINGS } from './lib/kill-chaos.js';
import { ChaosStream } from './lib/stream.js';
import { tally } from './lib/tally.js';

/**
 * Every fault the emulator can play, each on its own modem, in the middle of one stream across
 * the farm (bridge as its own process): hang, unplug and replug on a new path, garbage bytes, a
 * URC storm, dropped +CMTI, SIM busy at boot, storage full, silent reset. 0 lost.
 */
const SMS = Number(process.env.CHAOS_FAULT_SMS ?? 800);
const RATE_PER_S = 40;

let rig: BenchRig;
beforeAll(async () => {
  rig = await BenchRig.start({
    modems: 8,
    push: CHAOS_TIMINGS.push,
    modemTimings: CHAOS_TIMINGS.modemTimings,
    multipart: CHAOS_TIMINGS.multipart,
  });
  await rig.openOperations();
});
afterAll(async () => {
  await rig?.close();
});

it('every modem fault during a stream: nothing lost', async () => {
  const m = (slot: number) => rig.farm.modem(slot);
  const faults: [atMs: number, what: string, act: () => void][] = [
    [2_000, 'hang slot 0', () => m(0).hang()],
    [6_000, 'unhang slot 0', () => m(0).unhang()],
    [2_500, 'unplug slot 1', () => m(1).unplug()],
    [4_000, 'replug slot 1 (new path)', () => m(1).replug()],
    [3_000, 'storage full slot 6', () => m(6).setStorageCapacity('SM', 0)],
    [6_500, 'storage back slot 6', () => m(6).setStorageCapacity('SM', 30)],
    [
      3_500,
      'SIM busy at boot slot 5',
      () => {
        m(5).silentReset();
        m(5).simBusy(12);
      },
    ],
    [4_500, 'silent reset slot 7', () => m(7).silentReset()],
    [9_000, 'silent reset slot 7 again', () => m(7).silentReset()],
    [3_000, 'drop 8 +CMTI slot 4', () => m(4).dropNextCmti(8)],
  ];
  for (let t = 1_000; t < 12_000; t += 700) faults.push([t, 'garbage slot 2', () => m(2).sendGarbage(48)]);
  for (let t = 1_500; t < 12_000; t += 2_000) faults.push([t, 'URC storm slot 3', () => m(3).urcStorm(100)]);
  faults.sort((a, b) => a[0] - b[0]);

  const stream = new ChaosStream(rig);
  let next = 0;
  await stream.run(SMS, RATE_PER_S, (elapsed) => {
    while (next < faults.length && (faults[next] as (typeof faults)[number])[0] <= elapsed) {
      const [, what, act] = faults[next] as (typeof faults)[number];
      act();
      console.log(`${elapsed} ms: ${what}`);
      next += 1;
    }
  });
  // Faults scheduled after the stream ended (small CHAOS_FAULT_SMS) still run, in order.
  for (; next < faults.length; next++) (faults[next] as (typeof faults)[number])[2]();
  m(0).unhang();
  m(1).replug();
  m(6).setStorageCapacity('SM', 30);
  await delay(100);
  await stream.drain(stream.keys, 60_000);
  const result = tally(stream.keys, rig.pushes, (key) => stream.textOf(key));
  const lostBySlot: Record<number, number> = {};
  for (const key of result.lost)
    lostBySlot[stream.slotOf.get(key) ?? -1] = (lostBySlot[stream.slotOf.get(key) ?? -1] ?? 0) + 1;
  console.log(
    JSON.stringify({
      injected: result.injected,
      delivered: result.delivered,
      lost: result.lost.length,
      garbled: result.garbled.length,
      lostBySlot,
      duplicates: result.duplicates,
    }),
  );
  for (const push of result.garbled.slice(0, 10)) console.log(`garbled push (key ${push.key}): ${push.text}`);
  expect(result.lost).toEqual([]);
  expect(result.garbled).toEqual([]);
});
