import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { decodePdu } from '../../src/sms/decode-pdu.js';
import { encodeSmsDeliver } from '../../src/sms/encode-deliver.js';
import {
  deliverTextSeptets,
  fromUtf16Hex,
  type HeldPart,
  Reassembler,
  type ReassemblerSnapshot,
  type ReassemblyPart,
  reassemblyPartFromPdu,
  toUtf16Hex,
} from '../../src/sms/reassembler.js';

const SIM = '89701010000000000001';

function part(sequence: number, text: string, extra: Partial<ReassemblyPart> = {}): ReassemblyPart {
  return { sim: SIM, sender: '+79161234567', reference: 42, total: 3, sequence, text, ...extra };
}

function septetsOf(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0)); // ASCII letters map to the same GSM septet
}

function expectConcatError(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(isGatewayError(thrown) && thrown.code === 'SMS_CONCAT_INVALID').toBe(true);
}

describe('Reassembler.add', () => {
  it.each([[[1, 2, 3]], [[3, 1, 2]], [[2, 3, 1]], [[3, 2, 1]]])(
    'completes in sequence order whatever the arrival order %j',
    (order) => {
      const r = new Reassembler();
      const texts = ['Hello ', 'big ', 'world'];
      const results = order.map((seq, i) => r.add(part(seq, texts[seq - 1] ?? ''), 1000 + i));
      expect(results.slice(0, 2).map((x) => x.kind)).toEqual(['pending', 'pending']);
      const last = results[2];
      expect(last?.kind).toBe('complete');
      if (last?.kind !== 'complete') return;
      expect(last.text).toBe('Hello big world');
      expect(last.parts.map((p) => p.sequence)).toEqual([1, 2, 3]);
      expect(r.pendingCount).toBe(0);
    },
  );

  it('reports pending progress', () => {
    const r = new Reassembler();
    expect(r.add(part(2, 'b'), 0)).toMatchObject({ kind: 'pending', received: 1, total: 3 });
    expect(r.add(part(1, 'a'), 0)).toMatchObject({ kind: 'pending', received: 2, total: 3 });
  });

  it('ignores a second part with the same sequence number', () => {
    const r = new Reassembler();
    r.add(part(1, 'a'), 0);
    expect(r.add(part(1, 'a'), 1).kind).toBe('duplicate');
    expect(r.add(part(1, 'different'), 2).kind).toBe('duplicate'); // first one wins
    r.add(part(2, 'b'), 3);
    expect(r.add(part(3, 'c'), 4)).toMatchObject({ kind: 'complete', text: 'abc' });
  });

  it('treats a part listed again after completion as a duplicate, but not a new message reusing the reference', () => {
    const r = new Reassembler();
    r.add(part(1, 'a', { total: 2 }), 0);
    expect(r.add(part(2, 'b', { total: 2 }), 1).kind).toBe('complete');
    expect(r.add(part(1, 'a', { total: 2 }), 2).kind).toBe('duplicate');
    expect(r.add(part(1, 'new text', { total: 2 }), 3).kind).toBe('pending');
    expect(r.pendingCount).toBe(1);
  });

  it('forgets completed messages at expiry, so the same text later starts a new message', () => {
    const r = new Reassembler();
    r.add(part(1, 'a', { total: 2 }), 0);
    r.add(part(2, 'b', { total: 2 }), 0);
    r.expire(60_000, 60_000);
    expect(r.add(part(1, 'a', { total: 2 }), 60_001).kind).toBe('pending');
  });

  it('completes a single-part message at once without holding it', () => {
    const r = new Reassembler();
    expect(r.add(part(1, 'solo', { total: 1 }), 0)).toMatchObject({ kind: 'complete', text: 'solo' });
    expect(r.pendingCount).toBe(0);
  });

  it.each([
    ['another SIM', { sim: '89701010000000000002' }],
    ['another sender', { sender: '+79160000000' }],
    ['another reference', { reference: 43 }],
    ['another total', { total: 4 }],
  ])('keeps parts apart when only %s differs', (_name, other) => {
    const r = new Reassembler();
    r.add(part(1, 'a'), 0);
    r.add(part(2, 'b'), 0);
    expect(r.add(part(3, 'X', other), 0).kind).toBe('pending');
    expect(r.pendingCount).toBe(2);
    expect(r.add(part(3, 'c'), 0)).toMatchObject({ kind: 'complete', text: 'abc' });
  });

  it('accepts 16-bit references', () => {
    const r = new Reassembler();
    r.add(part(1, 'a', { reference: 49494, total: 2 }), 0);
    expect(r.add(part(1, 'a', { reference: 49494 & 0xff, total: 2 }), 0).kind).toBe('pending'); // not the same
    expect(r.add(part(2, 'b', { reference: 49494, total: 2 }), 0)).toMatchObject({
      kind: 'complete',
      text: 'ab',
    });
  });

  it.each([
    ['sequence 0', { sequence: 0 }],
    ['sequence above total', { sequence: 4 }],
    ['total 0', { total: 0, sequence: 1 }],
    ['total 256', { total: 256 }],
    ['reference 65536', { reference: 65536 }],
    ['fractional sequence', { sequence: 1.5 }],
  ])('rejects %s', (_name, bad) => {
    expectConcatError(() => new Reassembler().add({ ...part(1, 'a'), ...bad }, 0));
  });
});

describe('joining across part boundaries', () => {
  it('rejoins an emoji whose surrogate pair is split across UCS-2 parts', () => {
    const r = new Reassembler();
    r.add(part(2, '\uDE00 ok', { total: 2 }), 0);
    const done = r.add(part(1, 'smile \uD83D', { total: 2 }), 0);
    expect(done).toMatchObject({ kind: 'complete', text: 'smile 😀 ok' });
  });

  it('rejoins a GSM escape split from its septet when the parts carry septets', () => {
    const r = new Reassembler();
    // Part 1 ends with the escape (decoded alone as a space); part 2 starts with 0x65 ('e' alone).
    r.add(part(1, 'Price: 5 ', { total: 2, septets: [...septetsOf('Price: 5'), 0x1b] }), 0);
    const done = r.add(part(2, 'e only', { total: 2, septets: septetsOf('e only') }), 0);
    expect(done).toMatchObject({ kind: 'complete', text: 'Price: 5€ only' });
  });

  it('decodes joined septets with the national tables of the parts', () => {
    const r = new Reassembler();
    // A.3.1 Turkish locking: 0x07 is ı; A.2.1 Turkish single shift: 0x1B 0x47 is Ğ.
    const turkish = { total: 2, lockingShiftLanguage: 1, singleShiftLanguage: 1 };
    r.add(part(1, 'ı ', { ...turkish, septets: [0x07, 0x1b] }), 0);
    expect(r.add(part(2, 'G', { ...turkish, septets: [0x47] }), 0)).toMatchObject({ text: 'ıĞ' });
  });

  it('joins texts when some part has no septets', () => {
    const r = new Reassembler();
    r.add(part(1, 'ab', { total: 2, septets: septetsOf('ab') }), 0);
    expect(r.add(part(2, 'cd', { total: 2 }), 0)).toMatchObject({ text: 'abcd' });
  });

  it('rejoins a split escape even when a later part of the run has no septets', () => {
    const r = new Reassembler();
    r.add(part(1, 'Price: 5 ', { septets: [...septetsOf('Price: 5'), 0x1b] }), 0);
    r.add(part(2, 'e only', { septets: septetsOf('e only') }), 0);
    expect(r.add(part(3, ' end'), 0)).toMatchObject({ text: 'Price: 5€ only end' });
  });

  it('decodes each part with its own national tables when the parts name different ones', () => {
    const r = new Reassembler();
    // 0x07 is ı in the A.3.1 Turkish locking table and ì in the default alphabet.
    r.add(part(1, 'ı', { total: 2, septets: [0x07], lockingShiftLanguage: 1 }), 0);
    expect(r.add(part(2, 'ì', { total: 2, septets: [0x07] }), 0)).toMatchObject({ text: 'ıì' });
  });

  it('round-trips a long UCS-2 text through the encoder and decoder in reverse order', () => {
    const text = `${'Привет, мир! '.repeat(10)}😀🎉 end`;
    const pdus = encodeSmsDeliver({ sender: '+79161234567', text, reference: 200 });
    expect(pdus.length).toBeGreaterThan(1);
    const r = new Reassembler();
    const results = [...pdus].reverse().map((pdu, i) => {
      const d = decodePdu(pdu);
      if (d.type !== 'deliver' || d.concat === null) throw new Error('expected a concatenated DELIVER');
      return r.add({ sim: SIM, sender: d.sender, text: d.text, ...d.concat }, i);
    });
    expect(results.at(-1)).toMatchObject({ kind: 'complete', text });
  });
});

describe('Reassembler.expire', () => {
  it('returns incomplete groups once the timeout has passed since their first part', () => {
    const r = new Reassembler();
    r.add(part(3, 'c'), 1_000);
    r.add(part(1, 'a'), 5_000);
    r.add(part(1, 'x', { sender: 'Bank', total: 2 }), 30_000);
    expect(r.expire(60_999, 60_000)).toEqual([]);
    const expired = r.expire(61_000, 60_000);
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      sim: SIM,
      sender: '+79161234567',
      reference: 42,
      total: 3,
      missing: [2],
      text: 'ac',
      firstReceivedAtMs: 1_000,
    });
    expect(expired[0]?.parts.map((p) => p.sequence)).toEqual([1, 3]);
    expect(r.pendingCount).toBe(1);
    expect(r.expire(90_000, 60_000).map((g) => g.sender)).toEqual(['Bank']);
    expect(r.pendingCount).toBe(0);
  });

  it('does not join an escape across a missing part', () => {
    const r = new Reassembler();
    r.add(part(1, 'a ', { septets: [0x61, 0x1b] }), 0);
    r.add(part(3, 'e', { septets: [0x65] }), 0);
    expect(r.expire(10, 10)[0]?.text).toBe('a e');
  });
});

describe('state', () => {
  it('survives a JSON snapshot, lone surrogates and septets included', () => {
    const r = new Reassembler();
    r.add(part(1, 'smile \uD83D', { total: 2, id: 'row-1' }), 100);
    r.add(part(1, 'a', { sender: 'Bank', total: 2, septets: [0x61] }), 200);
    r.add(part(1, 'x', { sender: 'Done', total: 2 }), 300);
    r.add(part(2, 'y', { sender: 'Done', total: 2 }), 300);
    const json = JSON.stringify(r.snapshot());
    expect(json).not.toContain('\\ud83d'); // the surrogate travels as hex, not as text
    const restored = Reassembler.restore(JSON.parse(json) as ReassemblerSnapshot);
    expect(restored.pendingCount).toBe(2);
    expect(restored.add(part(2, '\uDE00', { total: 2 }), 400)).toMatchObject({
      kind: 'complete',
      text: 'smile 😀',
    });
    expect(restored.add(part(2, 'b', { sender: 'Bank', total: 2, septets: [0x62] }), 400)).toMatchObject({
      text: 'ab',
    });
    expect(restored.add(part(2, 'y', { sender: 'Done', total: 2 }), 400).kind).toBe('duplicate');
  });

  it('keeps the caller id and receive time of each part', () => {
    const r = new Reassembler();
    r.add(part(1, 'a', { id: 'row-7' }), 123);
    expect(r.heldParts()).toEqual([{ ...part(1, 'a', { id: 'row-7' }), receivedAtMs: 123 }]);
  });

  it('rebuilds from stored parts, dropping duplicates', () => {
    const stored: HeldPart[] = [
      { ...part(2, 'b'), receivedAtMs: 10 },
      { ...part(2, 'b'), receivedAtMs: 11 },
      { ...part(1, 'a'), receivedAtMs: 5 },
    ];
    const r = new Reassembler(stored);
    expect(r.heldParts().map((p) => p.sequence)).toEqual([1, 2]);
    expect(r.expire(5 + 99, 100)).toEqual([]);
    expect(r.add(part(3, 'c'), 20)).toMatchObject({ kind: 'complete', text: 'abc' });
  });

  it('rejects unknown snapshot versions and bad hex', () => {
    expectConcatError(() => Reassembler.restore({ version: 2 } as unknown as ReassemblerSnapshot));
    expectConcatError(() => fromUtf16Hex('abc'));
  });

  it('encodes UTF-16 hex losslessly', () => {
    for (const text of ['', 'abc', '😀', '\uD83D', 'x\uDE00y', 'Ж'.repeat(5000)]) {
      expect(fromUtf16Hex(toUtf16Hex(text))).toBe(text);
    }
  });
});

describe('reassemblyPartFromPdu', () => {
  it('returns null for a message that is not concatenated', () => {
    const [pdu] = encodeSmsDeliver({ sender: '+79161234567', text: 'short' });
    expect(reassemblyPartFromPdu(pdu ?? '', SIM)).toBeNull();
  });

  it("extracts each part's septets so the joined septets decode to the whole text", () => {
    const text = `${'a'.repeat(152)}€ and {more} after the boundary`;
    const pdus = encodeSmsDeliver({ sender: 'Bank', text, reference: 9, smsc: '+79168999100' });
    const parts = pdus.map((pdu, i) => reassemblyPartFromPdu(pdu, SIM, `row-${i}`));
    expect(parts.map((p) => p?.septets?.length)).toEqual([152, 2 + 30 + 2]);
    expect(parts[0]).toMatchObject({
      sim: SIM,
      sender: 'Bank',
      reference: 9,
      total: 2,
      sequence: 1,
      id: 'row-0',
    });
    const r = new Reassembler();
    // Replace the per-part texts: the result can only come from the septets.
    parts.forEach((p, i) => {
      if (p === null) throw new Error('expected a concatenated part');
      const result = r.add({ ...p, text: `ignored ${i}` }, i);
      if (i === parts.length - 1) expect(result).toMatchObject({ kind: 'complete', text });
    });
  });

  it('extracts septets with national language IEs in the header', () => {
    const text = 'Şifreniz 4821, iyi günler ğ '.repeat(8);
    const pdus = encodeSmsDeliver({ sender: '+90', text, lockingShiftLanguage: 1, singleShiftLanguage: 1 });
    const r = new Reassembler();
    const results = pdus.map((pdu, i) => {
      const p = reassemblyPartFromPdu(pdu, SIM);
      if (p === null) throw new Error('expected a concatenated part');
      expect(p.lockingShiftLanguage).toBe(1);
      return r.add({ ...p, text: '' }, i);
    });
    expect(results.at(-1)).toMatchObject({ kind: 'complete', text });
  });

  it('reads the same septets from a PDU without the SMSC field', () => {
    const pdus = encodeSmsDeliver({ sender: 'Bank', text: `${'a'.repeat(152)}€ tail`, smsc: '+79168999100' });
    for (const pdu of pdus) {
      const smscOctets = Number.parseInt(pdu.slice(0, 2), 16) + 1;
      const septets = deliverTextSeptets(pdu);
      expect(septets.length).toBeGreaterThan(0);
      expect(deliverTextSeptets(pdu.slice(smscOctets * 2), false)).toEqual(septets);
    }
  });

  it('gives UCS-2 parts without septets', () => {
    const pdus = encodeSmsDeliver({ sender: '+1', text: 'ж'.repeat(100) });
    expect(reassemblyPartFromPdu(pdus[0] ?? '', SIM)?.septets).toBeUndefined();
  });
});
