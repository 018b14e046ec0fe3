import { expect, it } from 'vitest';
import {
  FULL_FAULTS,
  figuresOverFiveSeconds,
  formatFigures,
  measureFaultRecovery,
} from '../modem/fault-recovery.js';

/**
 * Every modem fault at its full length, each on its own modem at 115200 baud on real ptys,
 * with the settings `simbridge run` uses by default: each recovered, and every message that
 * waited through it accepted, within 5 s of the fault's end.
 */
it('every modem fault at full length: recovered and caught up within 5 s', async () => {
  const figures = await measureFaultRecovery(FULL_FAULTS, {
    timings: {},
    rescanIntervalMs: 2_000,
    engineTimeouts: null,
  });
  console.log(`modem recovery, full-length faults, default settings\n${formatFigures(figures)}`);
  expect(figuresOverFiveSeconds(figures)).toEqual([]);
}, 180_000);
