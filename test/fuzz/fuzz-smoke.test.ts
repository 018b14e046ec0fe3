import { expect, it } from 'vitest';
import { runFuzz } from './lib/run-fuzz.js';

/**
 * A small version of `npm run fuzz` inside `npm test`: 20,000 cases over the PDU decoder, the
 * text-mode parsers, the AT tokenizer and a live AT engine, fixed seed. Every bad input must
 * end in a typed error with a code its target allows; any other throw is a crash.
 */
it('20,000 fuzz cases: no crash, every failure a typed error', async () => {
  const report = await runFuzz({ cases: 20_000, seed: 20_261_125 });
  expect(report.crashes).toEqual([]);
  expect(report.cases).toBeGreaterThanOrEqual(20_000);
  // The mutators must reach both sides of each contract, or the run proves nothing.
  const pdu = report.byTarget.pdu;
  expect(pdu?.ok).toBeGreaterThan(100);
  expect(Object.keys(pdu?.byCode ?? {})).toEqual(
    expect.arrayContaining(['SMS_PDU_INVALID', 'SMS_PDU_TRUNCATED', 'SMS_PDU_INVALID_HEX']),
  );
  expect(report.byTarget['text-mode']?.byCode.SMS_TEXT_INVALID).toBeGreaterThan(0);
  expect(report.byTarget['text-mode']?.ok).toBeGreaterThan(0);
});
