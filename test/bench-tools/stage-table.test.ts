import { describe, expect, it } from 'vitest';
import { monotonicMs, type TraceRecord } from '../../src/bridge/stage-trace.js';
import type { MessageOutcome } from '../bench/lib/injection-tracker.js';
import { stageTable, tailTable } from '../bench/lib/stage-table.js';

/*
 * The bench's per-stage tables join the bridge's trace (monotonic clock) with the emulator's and
 * the mock server's stamps (this process's performance clock). Here 100 exchanges are made with
 * known steps: 98 whose commit takes 1 ms and 2 whose commit takes 11 ms.
 */

const WIRE_MS = 30;
const STEPS = { cmtiParsed: 2, readWritten: 0.1, replyComplete: 26, decoded: 0.2, pushSent: 0.3 };

function exchanges(): { records: TraceRecord[]; outcomes: MessageOutcome[] } {
  const shift = performance.timeOrigin + performance.now() - monotonicMs();
  const records: TraceRecord[] = [];
  const outcomes: MessageOutcome[] = [];
  for (let key = 0; key < 100; key += 1) {
    const slot = key % 8;
    const cmti = 1_000 + key * 50; // monotonic ms
    const commitMs = key === 40 || key === 77 ? 11 : 1;
    const cmtiParsed = cmti + STEPS.cmtiParsed;
    const readWritten = cmtiParsed + STEPS.readWritten;
    const replyComplete = readWritten + STEPS.replyComplete;
    const decoded = replyComplete + STEPS.decoded;
    const committed = decoded + commitMs;
    const pushSent = committed + STEPS.pushSent;
    const pushReceived = pushSent + 0.5;
    records.push({
      port: `/dev/simbridge/modem-${String(slot).padStart(2, '0')}`,
      index: key,
      pushId: key,
      at: {
        cmtiParsed,
        readWritten,
        replyComplete,
        decoded,
        committed,
        pushSent,
        deleteWritten: committed + 0.4,
      },
    });
    outcomes.push({
      key,
      kind: 'gsm7',
      injectedAtMs: cmti + shift - 1,
      indicatedAtMs: cmti + shift,
      wireMs: WIRE_MS,
      pushedAtMs: pushReceived + shift,
      breakdown: null,
      lastStored: { slot, index: key },
    });
  }
  return { records, outcomes };
}

describe('stage tables of the e2e bench', () => {
  it('times each step of every exchange from the stage it waits on', () => {
    const { records, outcomes } = exchanges();
    const rows = stageTable(records, outcomes);
    const committed = rows.find((r) => r.stage === 'committed');
    expect(committed?.step.count).toBe(100);
    expect(committed?.step.p50).toBeCloseTo(1, 2);
    expect(committed?.step.max).toBeCloseTo(11, 2);
    expect(rows.find((r) => r.stage === 'deleteWritten')?.step.p50).toBeCloseTo(0.4, 2);
  });

  it('names the step the slowest messages lose their time in, and only that one', () => {
    const { records, outcomes } = exchanges();
    const table = tailTable(records, outcomes, 0.02);
    expect(table?.count).toBe(2);
    const excess = Object.fromEntries((table?.rows ?? []).map((r) => [r.stage, r.tailMs - r.allMs]));
    expect(excess.committed).toBeCloseTo(10 - 0.2, 1);
    for (const stage of ['cmtiParsed', 'readWritten', 'replyComplete', 'decoded', 'pushSent', 'pushReceived'])
      expect(excess[stage]).toBeCloseTo(0, 2);
    expect((table?.overWireTailMs ?? 0) - (table?.overWireAllMs ?? 0)).toBeCloseTo(9.8, 1);
    expect(table?.fromRatio).toBeGreaterThan(1.3);
  });

  it('leaves out the delete and the answer, which the push does not wait on', () => {
    const { records, outcomes } = exchanges();
    const stages = tailTable(records, outcomes)?.rows.map((r) => r.stage);
    expect(stages).not.toContain('deleteWritten');
    expect(stages).not.toContain('answerReceived');
    expect(stages?.at(-1)).toBe('pushReceived');
  });
});
