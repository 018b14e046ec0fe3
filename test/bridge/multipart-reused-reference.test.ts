import { afterEach, describe, expect, it } from 'vitest';
import { encodeSmsDeliver } from '../../src/sms/index.js';
import { type BridgeHarness, bridgeHarness, PHONE, stored } from './support/harness.js';

/*
 * A sender reuses an 8-bit concatenation reference (only 256 values) for the same SIM, and under
 * a backlog a part of one message arrives after another message with the same sender, reference
 * and total started collecting. Each message must still be pushed whole, once, and nothing lost.
 */

let h: BridgeHarness;
afterEach(() => h?.cleanup());

const SENDER = 'Instagram';
const SCTS = new Date('2026-11-25T01:00:00Z');
const HOUR_MS = 60 * 60_000;

/** 199 GSM 7-bit characters: two parts with an 8-bit reference (153 septets each). */
const GSM_A = `Your code is 1111. ${'alpha '.repeat(30)}`;
const GSM_B = `Your code is 2222. ${'bravo '.repeat(30)}`;
/** 84 characters outside GSM 7-bit: two UCS-2 parts (67 characters each). */
const UCS2_B = `Код 2222 ${'бета '.repeat(15)}`;

interface MessageSpec {
  text: string;
  encoding?: 'gsm7' | 'ucs2';
  referenceBits?: 8 | 16;
  timestamp?: Date;
}

/** The two PDUs of one message, reference 42, built by the product's encoder. */
function twoParts(spec: MessageSpec): [string, string] {
  const pdus = encodeSmsDeliver({
    sender: SENDER,
    text: spec.text,
    encoding: spec.encoding ?? 'gsm7',
    reference: 42,
    referenceBits: spec.referenceBits ?? 8,
    timestamp: spec.timestamp ?? SCTS,
  });
  expect(pdus).toHaveLength(2);
  return [pdus[0] ?? '', pdus[1] ?? ''];
}

function pushedTexts(): string[] {
  const rows = h.repo.database.prepare('SELECT body_json FROM pushes ORDER BY id').all() as Array<{
    body_json: string;
  }>;
  return rows.map((row) => (JSON.parse(row.body_json) as { text: string }).text);
}

/** Ingests the PDUs in order, each at its own SIM index, one second apart. */
async function ingestInOrder(pdus: readonly string[]): Promise<void> {
  for (const [index, pdu] of pdus.entries()) {
    await h.pipeline.accept(stored(pdu, index + 1));
    h.clock.advance(1_000);
  }
}

/** Both messages pushed whole and nothing left waiting to be pushed alone by the timeout. */
async function expectBothWhole(first: string, second: string): Promise<void> {
  expect(pushedTexts().sort()).toEqual([first, second].sort());
  expect((await h.repo.stats(h.clock())).collectingGroups).toBe(0);
  h.clock.advance(HOUR_MS);
  expect(await h.pipeline.closeOverdueGroups()).toBe(0);
  expect(pushedTexts()).toHaveLength(2);
  const messages = await h.repo.listMessages();
  expect(messages.map((m) => m.multipart)).toEqual([
    expect.objectContaining({ total: 2, partsReceived: 2, complete: true }),
    expect.objectContaining({ total: 2, partsReceived: 2, complete: true }),
  ]);
  expect(await h.repo.listMessages({ status: 'part' })).toHaveLength(4);
}

describe('multipart groups with a reused concatenation reference', () => {
  const cases: Array<{ name: string; a: MessageSpec; b: MessageSpec }> = [
    {
      name: 'different alphabets (GSM 7-bit and UCS-2), same time stamp',
      a: { text: GSM_A },
      b: { text: UCS2_B, encoding: 'ucs2' },
    },
    {
      name: 'the same alphabet, SC time stamps an hour apart',
      a: { text: GSM_A },
      b: { text: GSM_B, timestamp: new Date(SCTS.getTime() + HOUR_MS) },
    },
    {
      name: '8-bit and 16-bit references of the same value, same alphabet and time stamp',
      a: { text: GSM_A },
      b: { text: GSM_B, referenceBits: 16 },
    },
  ];
  for (const { name, a, b } of cases) {
    it(`keeps two interleaved messages apart (A1 B1 B2 A2): ${name}`, async () => {
      h = bridgeHarness();
      await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
      const [a1, a2] = twoParts(a);
      const [b1, b2] = twoParts(b);
      await ingestInOrder([a1, b1, b2, a2]);
      expect(pushedTexts()).toEqual([b.text, a.text]);
      await expectBothWhole(a.text, b.text);
    });

    it(`keeps two interleaved messages apart (A1 B2 B1 A2): ${name}`, async () => {
      h = bridgeHarness();
      await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
      const [a1, a2] = twoParts(a);
      const [b1, b2] = twoParts(b);
      await ingestInOrder([a1, b2, b1, a2]);
      expect(pushedTexts()).toEqual([b.text, a.text]);
      await expectBothWhole(a.text, b.text);
    });
  }

  it('starts another group for a sequence number already held with different content', async () => {
    h = bridgeHarness();
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    // Same alphabet, width and total, stamped 30 s apart: within the tolerance, so only the
    // content held under sequence 1 and the nearer time stamp tell the messages apart.
    const [a1, a2] = twoParts({ text: GSM_A });
    const [b1, b2] = twoParts({ text: GSM_B, timestamp: new Date(SCTS.getTime() + 30_000) });
    await ingestInOrder([a1, b1, a2, b2]);
    expect(pushedTexts()).toEqual([GSM_A, GSM_B]);
    await expectBothWhole(GSM_A, GSM_B);
  });

  it('keeps the late part of an incomplete message apart from a newer message reusing the reference', async () => {
    h = bridgeHarness({ multipartTimeoutMs: 60_000 });
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    const [a1] = twoParts({ text: GSM_A });
    const [, b2] = twoParts({ text: GSM_B, timestamp: new Date(SCTS.getTime() + HOUR_MS) });
    await ingestInOrder([a1]);
    h.clock.advance(60_000);
    expect(await h.pipeline.closeOverdueGroups()).toBe(1);
    // B's part 2 is not A's missing part 2 (stamped an hour later): it waits for B's part 1.
    const result = await h.pipeline.ingest(stored(b2, 2));
    expect(result).toMatchObject({ status: 'part', latePart: false });
    expect(pushedTexts()).toEqual([GSM_A.slice(0, 153)]);
  });

  it('still pushes the missing part of a message closed incomplete on its own', async () => {
    h = bridgeHarness({ multipartTimeoutMs: 60_000 });
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    const [a1, a2] = twoParts({ text: GSM_A });
    await ingestInOrder([a1]);
    h.clock.advance(60_000);
    expect(await h.pipeline.closeOverdueGroups()).toBe(1);
    const late = await h.pipeline.ingest(stored(a2, 2));
    expect(late).toMatchObject({ status: 'pending', latePart: true });
    expect(pushedTexts()).toEqual([GSM_A.slice(0, 153), GSM_A.slice(153)]);
  });

  it('honours a configured SC time stamp tolerance', async () => {
    h = bridgeHarness({ multipartScTimeToleranceMs: 60_000 });
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    const [a1, a2] = twoParts({ text: GSM_A });
    const [, b2] = twoParts({ text: GSM_B, timestamp: new Date(SCTS.getTime() + 2 * 60_000) });
    await ingestInOrder([a1, b2]);
    expect((await h.repo.stats(h.clock())).collectingGroups).toBe(2);
    await ingestInOrder([a2]);
    expect(pushedTexts()).toEqual([GSM_A]);
  });
});
