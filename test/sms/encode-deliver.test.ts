import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import type { PduDecoderOptions } from '../../src/sms/decode-options.js';
import { decodePdu } from '../../src/sms/decode-pdu.js';
import { type DeliverSpec, encodeSmsDeliver } from '../../src/sms/encode-deliver.js';
import { tpduLength } from '../../src/sms/encode-hex.js';
import { nationalLockingShiftTable, nationalSingleShiftTable } from '../../src/sms/gsm7-national.js';
import type { DecodedPdu, SmsDeliver } from '../../src/sms/types.js';

const NATIONAL: PduDecoderOptions = {
  nationalTables: { lockingShift: nationalLockingShiftTable, singleShift: nationalSingleShiftTable },
};

function deliver(pdu: string): SmsDeliver {
  const decoded: DecodedPdu = decodePdu(pdu, NATIONAL);
  if (decoded.type !== 'deliver') throw new Error(`expected a DELIVER, got ${decoded.type}`);
  return decoded;
}

function expectEncodeError(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(isGatewayError(thrown) && thrown.code === 'SMS_ENCODE_INVALID').toBe(true);
}

/** Hex from TP-UDL to the end: SMSC, first octet, TP-OA, PID, DCS and SCTS skipped. */
function userDataHex(pdu: string): string {
  let at = (Number.parseInt(pdu.slice(0, 2), 16) + 1) * 2;
  at += 2; // first octet
  const addressDigits = Number.parseInt(pdu.slice(at, at + 2), 16);
  at += 4 + Math.ceil(addressDigits / 2) * 2;
  return pdu.slice(at + 2 + 2 + 14);
}

/**
 * The user data must match octet for octet, except that 7 spare bits at the end are written as
 * CR (TS 23.038 §6.1.2.3.1 'shall'), while some vectors leave them 0; the text is the same.
 */
function expectSameUserData(actual: string, expected: string): void {
  const got = userDataHex(actual);
  const want = userDataHex(expected);
  if (got === want) return;
  expect(got.slice(0, -2)).toBe(want.slice(0, -2));
  const gotLast = Number.parseInt(got.slice(-2), 16);
  const wantLast = Number.parseInt(want.slice(-2), 16);
  expect(wantLast >> 1).toBe(0); // the vector left the 7 spare bits 0
  expect(gotLast).toBe((0x0d << 1) | (wantLast & 1)); // bit 0 ends the last septet, then CR
}

interface Vector {
  id: string;
  pdu: string;
  category: string;
  expect: {
    sender: string;
    senderType: string;
    text: string;
    encoding: 'gsm7' | 'ucs2' | '8bit';
    timestamp: string;
    smsc: string | null;
    concat: { ref: number; total: number; seq: number } | null;
    class: 0 | 1 | 2 | 3 | null;
  };
}

const vectors: Vector[] = readFileSync(
  // The repository's copy of the shared vectors (test/sms/vectors.test.ts checks it has not drifted).
  new URL('../fixtures/sms-deliver.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Vector);

function quartersOf(iso: string): number {
  const match = /([+-])(\d\d):(\d\d)$/.exec(iso);
  if (match === null) throw new Error(`no offset in ${iso}`);
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 4 + Number(match[3]) / 15);
}

function specFromVector(v: Vector, text: string): DeliverSpec {
  const decoded = deliver(v.pdu);
  return {
    sender: v.expect.sender,
    senderType: v.expect.senderType === 'national' ? 'national' : 'unknown',
    text,
    encoding: v.expect.encoding,
    timestamp: new Date(v.expect.timestamp),
    timezoneQuarterHours: quartersOf(v.expect.timestamp),
    smsc: v.expect.smsc,
    messageClass: v.expect.class,
    reference: v.expect.concat?.ref ?? 0,
    referenceBits: decoded.concat?.referenceBits ?? 8,
    protocolId: decoded.protocolId,
    lockingShiftLanguage: decoded.lockingShiftLanguage,
    singleShiftLanguage: decoded.singleShiftLanguage,
  };
}

describe('encodeSmsDeliver against the shared test vectors', () => {
  // IEs other than concatenation / national language (WAP ports, ...) are not produced.
  const single = vectors.filter((v) => v.expect.concat === null && v.category !== 'udh-other-ie');

  it('has vectors to check', () => {
    expect(single.length).toBeGreaterThan(20);
  });

  it.each(single.map((v) => [v.id, v] as const))(
    '%s: same user data, decodes to the expected fields',
    (_id, v) => {
      const pdus = encodeSmsDeliver(specFromVector(v, v.expect.text));
      expect(pdus).toHaveLength(1);
      const pdu = pdus[0] ?? '';
      expectSameUserData(pdu, v.pdu);
      const decoded = deliver(pdu);
      expect(decoded.text).toBe(v.expect.text);
      expect(decoded.sender).toBe(v.expect.sender);
      expect(decoded.encoding).toBe(v.expect.encoding);
      expect(decoded.timestamp).toBe(v.expect.timestamp);
      expect(decoded.smsc).toBe(v.expect.smsc);
      expect(decoded.messageClass).toBe(v.expect.class);
      expect(decoded.concat).toBeNull();
      if (v.expect.senderType !== 'unknown') expect(decoded.senderType).toBe(v.expect.senderType);
    },
  );

  const groups = new Map<string, Vector[]>();
  for (const v of vectors) {
    if (v.expect.concat === null || v.category === 'udh-other-ie') continue;
    const key = v.id.replace(/-p\d+$/, '');
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }

  it.each([...groups].map(([key, parts]) => [key, parts] as const))(
    '%s: the joined text splits at the same boundaries with the same user data',
    (_key, parts) => {
      const ordered = [...parts].sort((a, b) => (a.expect.concat?.seq ?? 0) - (b.expect.concat?.seq ?? 0));
      const first = ordered[0];
      if (first === undefined) throw new Error('empty group');
      const pdus = encodeSmsDeliver(specFromVector(first, ordered.map((v) => v.expect.text).join('')));
      expect(pdus).toHaveLength(ordered.length);
      pdus.forEach((pdu, index) => {
        const want = ordered[index];
        expectSameUserData(pdu, want?.pdu ?? '');
        const decoded = deliver(pdu);
        expect(decoded.text).toBe(want?.expect.text);
        expect(decoded.concat).toMatchObject({
          reference: want?.expect.concat?.ref,
          total: ordered.length,
          sequence: index + 1,
        });
      });
    },
  );
});

const BASE = { sender: '+79161234567', timestamp: new Date('2024-11-25T09:00:00Z'), reference: 7 } as const;

function partTexts(pdus: string[]): string[] {
  return pdus.map((pdu) => deliver(pdu).text);
}

describe('encodeSmsDeliver: splitting', () => {
  it.each([
    ['gsm7', 160, 8, [160]],
    ['gsm7', 161, 8, [153, 8]],
    ['gsm7', 306, 8, [153, 153]],
    ['gsm7', 307, 8, [153, 153, 1]],
    ['gsm7', 161, 16, [152, 9]],
    ['ucs2', 70, 8, [70]],
    ['ucs2', 71, 8, [67, 4]],
    ['ucs2', 71, 16, [66, 5]],
  ] as const)('%s, %i characters, %i-bit reference: parts of %j', (encoding, count, bits, lengths) => {
    const text = (encoding === 'gsm7' ? 'a' : 'я').repeat(count);
    const pdus = encodeSmsDeliver({ ...BASE, text, encoding, referenceBits: bits });
    const texts = partTexts(pdus);
    expect(texts.map((t) => t.length)).toEqual(lengths);
    expect(texts.join('')).toBe(text);
    pdus.forEach((pdu, i) => {
      const concat = deliver(pdu).concat;
      if (lengths.length === 1) expect(concat).toBeNull();
      else
        expect(concat).toEqual({ reference: 7, total: lengths.length, sequence: i + 1, referenceBits: bits });
    });
  });

  it('counts an extension character as two septets', () => {
    expect(encodeSmsDeliver({ ...BASE, text: '€'.repeat(80) })).toHaveLength(1);
    expect(encodeSmsDeliver({ ...BASE, text: `${'€'.repeat(80)}a` })).toHaveLength(2);
  });

  it('never splits an escape from its septet at a part boundary', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`; // the euro would need septets 153 and 154
    const texts = partTexts(encodeSmsDeliver({ ...BASE, text }));
    expect(texts).toEqual(['a'.repeat(152), `€${'b'.repeat(10)}`]);
  });

  it('never splits a surrogate pair at a UCS-2 part boundary', () => {
    const text = `${'я'.repeat(66)}😀${'я'.repeat(5)}`; // the emoji would need units 67 and 68
    const texts = partTexts(encodeSmsDeliver({ ...BASE, text }));
    expect(texts).toEqual(['я'.repeat(66), `😀${'я'.repeat(5)}`]);
    for (const t of texts)
      expect(t).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('fits a surrogate pair that ends exactly on the boundary', () => {
    const text = `${'я'.repeat(65)}😀${'я'.repeat(5)}`;
    expect(partTexts(encodeSmsDeliver({ ...BASE, text }))).toEqual([`${'я'.repeat(65)}😀`, 'я'.repeat(5)]);
  });

  it('encodes an empty text as one empty part', () => {
    const pdus = encodeSmsDeliver({ ...BASE, text: '' });
    expect(pdus).toHaveLength(1);
    expect(deliver(pdus[0] ?? '').text).toBe('');
  });

  it('refuses more than 255 parts and references out of range', () => {
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'a'.repeat(153 * 255 + 1) }));
    expect(encodeSmsDeliver({ ...BASE, text: 'a'.repeat(153 * 255) })).toHaveLength(255);
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'a', reference: 256 }));
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'a', reference: -1 }));
    expect(
      deliver(
        encodeSmsDeliver({ ...BASE, text: 'a'.repeat(200), reference: 65535, referenceBits: 16 })[0] ?? '',
      ).concat?.reference,
    ).toBe(65535);
  });
});

describe('encodeSmsDeliver: fields', () => {
  it('chooses GSM 7-bit or UCS-2 in auto mode', () => {
    expect(deliver(encodeSmsDeliver({ ...BASE, text: 'Code {1234} €5' })[0] ?? '').encoding).toBe('gsm7');
    expect(deliver(encodeSmsDeliver({ ...BASE, text: 'Код 1234' })[0] ?? '').encoding).toBe('ucs2');
  });

  it('rejects text outside the alphabet asked for', () => {
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'Код', encoding: 'gsm7' }));
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'xyz', encoding: '8bit' }));
    expectEncodeError(() =>
      encodeSmsDeliver({ ...BASE, text: 'a', lockingShiftLanguage: 2, encoding: 'gsm7' }),
    );
  });

  it('carries 8-bit data as hex', () => {
    const decoded = deliver(encodeSmsDeliver({ ...BASE, text: '00FF10ab', encoding: '8bit' })[0] ?? '');
    expect(decoded.encoding).toBe('8bit');
    expect(decoded.text).toBe('00FF10AB');
  });

  it.each([
    ['+79161234567', undefined, '+79161234567', 'international'],
    ['89161234567', undefined, '89161234567', 'unknown'],
    ['89161234567', 'national', '89161234567', 'national'],
    ['Bank', undefined, 'Bank', 'alphanumeric'],
    ['Onlinesim11', undefined, 'Onlinesim11', 'alphanumeric'],
    ['A{b}', undefined, 'A{b}', 'alphanumeric'],
  ] as const)('sender %j (%s) -> %j %s', (sender, senderType, address, type) => {
    const decoded = deliver(
      encodeSmsDeliver({ ...BASE, sender, ...(senderType ? { senderType } : {}), text: 'x' })[0] ?? '',
    );
    expect(decoded.sender).toBe(address);
    expect(decoded.senderType).toBe(type);
  });

  it('rejects senders that do not fit', () => {
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, sender: 'Onlinesim123', text: 'x' }));
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, sender: '', text: 'x' }));
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, sender: '+123456789012345678901', text: 'x' }));
  });

  it.each([
    [0, '2024-11-25T09:00:00+00:00'],
    [23, '2024-11-25T14:45:00+05:45'],
    [-12, '2024-11-25T06:00:00-03:00'],
    [-1, '2024-11-25T08:45:00-00:15'],
  ])('writes the time stamp in zone %i quarters', (quarters, iso) => {
    const decoded = deliver(
      encodeSmsDeliver({ ...BASE, text: 'x', timezoneQuarterHours: quarters })[0] ?? '',
    );
    expect(decoded.timestamp).toBe(iso);
  });

  it('rejects impossible time zones and dates', () => {
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'x', timezoneQuarterHours: 80 }));
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'x', timezoneQuarterHours: 1.5 }));
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'x', timestamp: new Date(Number.NaN) }));
  });

  it('writes the SMSC field, 00 when there is none', () => {
    const none = encodeSmsDeliver({ ...BASE, text: 'x' })[0] ?? '';
    expect(none.startsWith('00')).toBe(true);
    expect(tpduLength(none)).toBe(none.length / 2 - 1);
    const withSmsc = encodeSmsDeliver({ ...BASE, text: 'x', smsc: '+79168999100' })[0] ?? '';
    expect(withSmsc.startsWith('07919761989901F0')).toBe(true);
    expect(deliver(withSmsc).smsc).toBe('+79168999100');
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'x', smsc: '+79x' }));
  });

  it.each([0, 1, 2, 3] as const)('writes message class %i in the DCS for both alphabets', (messageClass) => {
    expect(deliver(encodeSmsDeliver({ ...BASE, text: 'x', messageClass })[0] ?? '').messageClass).toBe(
      messageClass,
    );
    const ucs2 = deliver(encodeSmsDeliver({ ...BASE, text: 'ж', messageClass })[0] ?? '');
    expect(ucs2.messageClass).toBe(messageClass);
    expect(ucs2.dataCodingScheme).toBe(0x18 | messageClass);
  });

  it('writes the protocol identifier', () => {
    expect(deliver(encodeSmsDeliver({ ...BASE, text: 'x', protocolId: 0x41 })[0] ?? '').protocolId).toBe(
      0x41,
    );
    expectEncodeError(() => encodeSmsDeliver({ ...BASE, text: 'x', protocolId: 256 }));
  });

  it('uppercases the hex and is deterministic without a timestamp', () => {
    const a = encodeSmsDeliver({ sender: '+1', text: 'é' });
    expect(a).toEqual(encodeSmsDeliver({ sender: '+1', text: 'é' }));
    expect(a[0]).toMatch(/^[0-9A-F]+$/);
    expect(deliver(a[0] ?? '').timestamp).toBe('2000-01-01T00:00:00+00:00');
  });
});

describe('encodeSmsDeliver: national language tables', () => {
  it('round-trips Turkish with locking and single shift tables', () => {
    const text = 'Şifreniz: 4821. İyi günler, ğüşıçö €';
    const pdus = encodeSmsDeliver({ ...BASE, text, lockingShiftLanguage: 1, singleShiftLanguage: 1 });
    const decoded = deliver(pdus[0] ?? '');
    expect(decoded.text).toBe(text);
    expect(decoded.encoding).toBe('gsm7');
    expect(decoded.lockingShiftLanguage).toBe(1);
    expect(decoded.singleShiftLanguage).toBe(1);
  });

  it('round-trips Hindi with the locking shift table across parts', () => {
    const text = 'आपका कोड 4821 है। '.repeat(12);
    const pdus = encodeSmsDeliver({ ...BASE, text, lockingShiftLanguage: 6, singleShiftLanguage: 6 });
    expect(pdus.length).toBeGreaterThan(1);
    expect(partTexts(pdus).join('')).toBe(text);
    // Each part carries the concatenation IE and both national IEs: 1 + 5 + 3 + 3 header octets.
    expect(partTexts(pdus)[0]?.length).toBeLessThanOrEqual(160 - 14);
  });

  it('falls back to UCS-2 in auto mode when the national tables cannot hold the text', () => {
    const decoded = deliver(encodeSmsDeliver({ ...BASE, text: 'Код', lockingShiftLanguage: 1 })[0] ?? '');
    expect(decoded.encoding).toBe('ucs2');
    expect(decoded.lockingShiftLanguage).toBe(0);
  });
});
