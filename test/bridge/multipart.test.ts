import { afterEach, describe, expect, it } from 'vitest';
import { MultipartTimeoutSweeper } from '../../src/bridge/multipart-timeout.js';
import { compileSenderFilter } from '../../src/config/sender-filter.js';
import { silentLogger } from '../../src/log.js';
import { deliverPdu, gsm7Septets, utf16Units } from './support/deliver-pdu.js';
import { type BridgeHarness, bridgeHarness, PHONE, stored } from './support/harness.js';

let h: BridgeHarness;
afterEach(() => h?.cleanup());

const part = (sequence: number, text: string, total = 3, reference = 42) =>
  deliverPdu({ sender: 'Instagram', text, concat: { reference, total, sequence } });

/** Builds part `sequence` of a two-part GSM 7-bit message with reference `reference` from raw septets. */
const gsmParts = (reference: number) => (sequence: number, septets: number[]) =>
  deliverPdu({ sender: 'Instagram', gsm7Septets: septets, concat: { reference, total: 2, sequence } });

function pushBodies(): Array<{ text: string; smsId: number }> {
  const rows = h.repo.database.prepare('SELECT body_json FROM pushes ORDER BY id').all() as Array<{
    body_json: string;
  }>;
  return rows.map((row) => JSON.parse(row.body_json) as { text: string; smsId: number });
}

async function withOperation(): Promise<void> {
  await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
}

describe('multipart reassembly', () => {
  it('pushes once, reassembled in sequence order, whatever the arrival order, ignoring duplicates', async () => {
    h = bridgeHarness();
    await withOperation();
    const first = await h.pipeline.ingest(stored(part(3, 'three.'), 3));
    expect(first.status).toBe('part');
    await h.pipeline.accept(stored(part(1, 'one '), 1));
    await h.pipeline.accept(stored(part(1, 'one '), 4)); // the same part read again
    await h.pipeline.accept(
      stored(
        deliverPdu({
          sender: 'Instagram',
          text: 'one ',
          concat: { reference: 42, total: 3, sequence: 1 },
          second: 5,
        }),
        6,
      ),
    ); // a resent copy: another PDU (time stamp), the same content
    expect(pushBodies()).toHaveLength(0);
    const last = await h.pipeline.ingest(stored(part(2, 'two '), 2));
    expect(last.completedMessageId).not.toBeNull();
    expect(pushBodies()).toEqual([
      { smsId: 355, phoneFrom: 'Instagram', phone: PHONE, text: 'one two three.' },
    ]);
    const [message] = await h.repo.listMessages();
    expect(message).toMatchObject({
      status: 'pending',
      text: 'one two three.',
      multipart: { total: 3, partsReceived: 3, complete: true, state: 'complete', latePart: false },
    });
    expect(await h.repo.listMessages()).toHaveLength(1); // parts stay out of the listing
    expect(await h.repo.listMessages({ includeParts: true })).toHaveLength(5);
    expect(h.pushQueued).toBe(1);
    expect((await h.repo.stats(h.clock())).collectingGroups).toBe(0); // the copy started no group
  });

  it('keeps parts across a restart and completes the message after it', async () => {
    h = bridgeHarness();
    await withOperation();
    await h.pipeline.accept(stored(part(1, 'a', 2), 1));
    h.restart();
    await h.pipeline.accept(stored(part(1, 'a', 2), 1)); // re-read after the crash
    await h.pipeline.accept(stored(part(2, 'b', 2), 2));
    expect(pushBodies().map((b) => b.text)).toEqual(['ab']);
  });

  it('joins an emoji whose UTF-16 surrogate pair is split across two UCS-2 parts', async () => {
    h = bridgeHarness();
    await withOperation();
    const units = utf16Units('Code 1 \u{1F600} ok');
    const split = 8; // after the high surrogate of the emoji
    expect(units[split - 1]).toBe(0xd83d);
    const ucs2 = (sequence: number, slice: number[]) =>
      deliverPdu({ sender: 'Instagram', ucs2Units: slice, concat: { reference: 9, total: 2, sequence } });
    await h.pipeline.accept(stored(ucs2(2, units.slice(split)), 2));
    await h.pipeline.accept(stored(ucs2(1, units.slice(0, split)), 1));
    expect(pushBodies().map((b) => b.text)).toEqual(['Code 1 \u{1F600} ok']);
    expect((await h.repo.listMessages())[0]?.text).toBe('Code 1 \u{1F600} ok');
  });

  it('keeps a GSM 7-bit escape sequence whole when it ends a part (as senders must split)', async () => {
    h = bridgeHarness();
    await withOperation();
    const gsm = gsmParts(11);
    await h.pipeline.accept(stored(gsm(1, gsm7Septets('Pay 5€'))));
    await h.pipeline.accept(stored(gsm(2, gsm7Septets(' now')), 2));
    expect(pushBodies().map((b) => b.text)).toEqual(['Pay 5€ now']);
  });

  it('joins a GSM 7-bit escape sequence split across two parts into its character', async () => {
    h = bridgeHarness();
    await withOperation();
    const gsm = gsmParts(12);
    const euro = gsm7Septets('Pay 5€ now');
    const split = euro.indexOf(0x1b) + 1; // part 1 ends with the escape, part 2 starts with 0x65
    await h.pipeline.accept(stored(gsm(2, euro.slice(split)), 2));
    await h.pipeline.accept(stored(gsm(1, euro.slice(0, split)), 1));
    expect(pushBodies().map((b) => b.text)).toEqual(['Pay 5€ now']);
  });

  it('leaves a real trailing space and an escape pair inside a part alone', async () => {
    h = bridgeHarness();
    await withOperation();
    const gsm = gsmParts(13);
    await h.pipeline.accept(stored(gsm(1, gsm7Septets('5€ '))));
    await h.pipeline.accept(stored(gsm(2, gsm7Septets('e')), 2));
    expect(pushBodies().map((b) => b.text)).toEqual(['5€ e']);
  });

  it('routes the reassembled message, not the parts, through the deny-list', async () => {
    h = bridgeHarness({ denySenders: compileSenderFilter(['instagram']) });
    await withOperation();
    await h.pipeline.accept(stored(part(1, 'x', 2)));
    await h.pipeline.accept(stored(part(2, 'y', 2), 2));
    expect(pushBodies()).toHaveLength(0);
    expect((await h.repo.listMessages())[0]).toMatchObject({ status: 'filtered', text: 'xy' });
  });
});

describe('multipart timeout', () => {
  it('pushes the parts that arrived as one incomplete message after the timeout, then a late part alone', async () => {
    h = bridgeHarness({ multipartTimeoutMs: 60_000 });
    await withOperation();
    await h.pipeline.accept(stored(part(3, 'three'), 3));
    h.clock.advance(10_000);
    await h.pipeline.accept(stored(part(1, 'one '), 1));
    h.clock.advance(49_999);
    expect(await h.pipeline.closeOverdueGroups()).toBe(0);
    h.clock.advance(1);
    expect(await h.pipeline.closeOverdueGroups()).toBe(1);
    expect(await h.pipeline.closeOverdueGroups()).toBe(0);
    expect(pushBodies().map((b) => b.text)).toEqual(['one three']);
    const [incomplete] = await h.repo.listMessages();
    expect(incomplete).toMatchObject({
      status: 'pending',
      multipart: { total: 3, partsReceived: 2, complete: false, state: 'incomplete', latePart: false },
    });

    h.clock.advance(5_000);
    const late = await h.pipeline.ingest(stored(part(2, 'two '), 2));
    expect(late).toMatchObject({ latePart: true, status: 'pending' });
    expect(pushBodies().map((b) => b.text)).toEqual(['one three', 'two ']);
    expect((await h.repo.getMessage(late.messageId))?.multipart).toMatchObject({
      latePart: true,
      complete: false,
    });
    expect(h.pushQueued).toBe(2);
  });

  it('does not join an escape ending one part to the first septet of the part after a missing one', async () => {
    h = bridgeHarness({ multipartTimeoutMs: 1_000 });
    await withOperation();
    const gsm = (sequence: number, septets: number[]) =>
      deliverPdu({
        sender: 'Instagram',
        gsm7Septets: septets,
        concat: { reference: 14, total: 3, sequence },
      });
    await h.pipeline.accept(stored(gsm(1, [...gsm7Septets('Pay 5'), 0x1b]), 1));
    await h.pipeline.accept(stored(gsm(3, gsm7Septets('e now')), 3));
    h.clock.advance(1_000);
    expect(await h.pipeline.closeOverdueGroups()).toBe(1);
    // Part 2 would have carried the escape's partner; part 3's 'e' is a letter of its own.
    expect(pushBodies().map((b) => b.text)).toEqual(['Pay 5 e now']);
  });

  it('starts a new group when the reference is reused (sequence already in the closed group)', async () => {
    h = bridgeHarness({ multipartTimeoutMs: 1_000 });
    await withOperation();
    await h.pipeline.accept(stored(part(1, 'old ', 2)));
    h.clock.advance(1_000);
    await h.pipeline.closeOverdueGroups();
    await h.pipeline.accept(
      stored(
        deliverPdu({
          sender: 'Instagram',
          text: 'new ',
          concat: { reference: 42, total: 2, sequence: 1 },
          second: 30,
        }),
        5,
      ),
    );
    await h.pipeline.accept(stored(part(2, 'msg', 2), 6));
    expect(pushBodies().map((b) => b.text)).toEqual(['old ', 'new msg']);
  });

  it('closes groups left collecting across a restart, from the sweeper started at boot', async () => {
    h = bridgeHarness({ multipartTimeoutMs: 60_000 });
    await withOperation();
    await h.pipeline.accept(stored(part(1, 'only', 2)));
    h.restart();
    h.clock.advance(120_000);
    const sweeper = new MultipartTimeoutSweeper({
      target: h.pipeline,
      intervalMs: 60_000,
      log: silentLogger(),
    });
    expect(await sweeper.sweepOnce()).toBe(1);
    await sweeper.stop();
    expect(pushBodies().map((b) => b.text)).toEqual(['only']);
  });

  it('marks an incomplete message no_operation when its phone has no operation', async () => {
    h = bridgeHarness({ multipartTimeoutMs: 1 });
    await h.pipeline.accept(stored(part(1, 'x', 2)));
    h.clock.advance(1);
    await h.pipeline.closeOverdueGroups();
    expect((await h.repo.listMessages())[0]).toMatchObject({
      status: 'no_operation',
      multipart: { complete: false },
    });
  });
});
