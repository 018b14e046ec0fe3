import { describe, expect, it } from 'vitest';
import {
  decodeDeliverPdu,
  decodeDeliverPduBytes,
  decodePdu,
  isSmsDecodeError,
  type SmsDeliver,
  type SmsStatusReport,
  type SmsSubmit,
} from '../../src/sms/index.js';
import { expectDecodeError } from './support/expect-decode-error.js';
import {
  DEFAULT_ORIGINATOR,
  DEFAULT_SCTS,
  deliverPdu,
  gsm7UserData,
  hex,
  octetUserData,
  toSeptets,
  ucs2Hex,
} from './support/pdu-builder.js';

/** Cases below are built field by field from TS 23.040 §9.2.2 unless a vector id is named. */
const deliver = (pdu: string): SmsDeliver => decodeDeliverPdu(pdu);
const HELLO_UD = gsm7UserData(toSeptets('Hello'));
/** Offset of TP-UDL in a PDU from deliverPdu() with the default fields and SMSC `00`. */
const UDL_OFFSET = 1 + 1 + DEFAULT_ORIGINATOR.length / 2 + 2 + DEFAULT_SCTS.length / 2;

describe('TP-MTI classification (TS 23.040 §9.2.3.1)', () => {
  it('decodes an SMS-DELIVER with every field', () => {
    const decoded = decodePdu(deliverPdu({ userData: HELLO_UD, pid: 0x00, dcs: 0x00 }));
    expect(decoded).toEqual({
      type: 'deliver',
      smsc: null,
      sender: '+79161234567',
      senderType: 'international',
      protocolId: 0,
      dataCodingScheme: 0,
      encoding: 'gsm7',
      messageClass: null,
      timestamp: '2026-11-24T12:00:00+03:00',
      text: 'Hello',
      concat: null,
      moreMessagesToSend: false,
      statusReportIndication: false,
      replyPath: false,
      lockingShiftLanguage: 0,
      singleShiftLanguage: 0,
    } satisfies SmsDeliver);
  });

  it('reads TP-MMS, TP-SRI and TP-RP from the first octet', () => {
    const decoded = deliver(deliverPdu({ firstOctet: 0xa0, userData: HELLO_UD }));
    expect(decoded).toMatchObject({
      moreMessagesToSend: true,
      statusReportIndication: true,
      replyPath: true,
    });
  });

  it('decodes an SMS-STATUS-REPORT and never as a DELIVER', () => {
    const pdu = `0791448720003023${'06'}2A0B919761214365F7${DEFAULT_SCTS}62114221100021${'00'}`;
    expect(decodePdu(pdu)).toEqual({
      type: 'status-report',
      smsc: '+447802000332',
      messageReference: 0x2a,
      recipient: '+79161234567',
      recipientType: 'international',
      serviceCentreTimestamp: '2026-11-24T12:00:00+03:00',
      dischargeTimestamp: '2026-11-24T12:01:00+03:00',
      status: 0,
    } satisfies SmsStatusReport);
    const error = expectDecodeError(() => decodeDeliverPdu(pdu), 'SMS_PDU_NOT_DELIVER', 8);
    expect(error.message).toContain('SMS-STATUS-REPORT');
  });

  it.each([
    ['no validity period (VPF 00)', 0x01, ''],
    ['relative validity period (VPF 10)', 0x11, 'AA'],
    ['absolute validity period (VPF 11)', 0x19, DEFAULT_SCTS],
    ['enhanced validity period (VPF 01)', 0x09, '01000000000000'],
  ])('decodes an SMS-SUBMIT with %s', (_name, firstOctet, vp) => {
    const pdu = `00${hex([firstOctet])}07${'0B919761214365F7'}0000${vp}${HELLO_UD}`;
    expect(decodePdu(pdu)).toEqual({
      type: 'submit',
      smsc: null,
      messageReference: 7,
      recipient: '+79161234567',
      recipientType: 'international',
      encoding: 'gsm7',
      text: 'Hello',
      concat: null,
    } satisfies SmsSubmit);
    expectDecodeError(() => decodeDeliverPdu(pdu), 'SMS_PDU_NOT_DELIVER', 1);
  });

  it('decodes an SMS-SUBMIT part with a UDH and UCS-2 text', () => {
    const pdu = `0041070B919761214365F70008${octetUserData(ucs2Hex('Да'), '050003090201')}`;
    expect(decodePdu(pdu)).toMatchObject({
      type: 'submit',
      encoding: 'ucs2',
      text: 'Да',
      concat: { reference: 9, total: 2, sequence: 1 },
    });
  });

  it('processes the reserved MTI 3 as an SMS-DELIVER, as §9.2.3.1 tells receivers to', () => {
    expect(decodePdu(deliverPdu({ firstOctet: 0x07, userData: HELLO_UD })).type).toBe('deliver');
  });

  it('classifies without the SMSC field too', () => {
    const submit = `01070B919761214365F70000${HELLO_UD}`;
    expect(decodePdu(submit, { hasSmsc: false }).type).toBe('submit');
    expectDecodeError(() => decodeDeliverPdu(submit, { hasSmsc: false }), 'SMS_PDU_NOT_DELIVER', 0);
  });
});

describe('SMSC field', () => {
  const tpdu = deliverPdu({ userData: HELLO_UD }).slice(2);

  it.each([
    ['present, international', `07917283010010F5${tpdu}`, { hasSmsc: true }, '+27381000015'],
    ['00 (none configured)', `00${tpdu}`, {}, null],
    ['only a type of address', `0191${tpdu}`, {}, null],
    ['absent (hasSmsc false)', tpdu, { hasSmsc: false }, null],
  ])('%s', (_name, pdu, options, smsc) => {
    const decoded = decodeDeliverPdu(pdu, options);
    expect(decoded.smsc).toBe(smsc);
    expect(decoded.text).toBe('Hello');
  });

  it('throws errors that isSmsDecodeError recognises, with the offset in message and context', () => {
    let caught: unknown;
    try {
      decodePdu(`07917283010010F5${tpdu}`.slice(0, 40));
    } catch (err) {
      caught = err;
    }
    expect(isSmsDecodeError(caught)).toBe(true);
    expect(isSmsDecodeError(new Error('x'))).toBe(false);
    if (!isSmsDecodeError(caught)) return;
    expect(caught.message).toMatch(/\(at byte \d+\) \[SMS_PDU_TRUNCATED\]$/);
    expect(caught.context).toEqual({ offset: caught.offset });
  });

  it('decodes raw octets as well as hex', () => {
    const bytes = Uint8Array.from(Buffer.from(`07917283010010F5${tpdu}`, 'hex'));
    expect(decodeDeliverPduBytes(bytes).text).toBe('Hello');
  });
});

describe('data coding through the whole PDU (TS 23.038 §4)', () => {
  it.each([
    ['flash: general group with class 0 (0x10)', 0x10, 'gsm7', 0],
    ['class 1 via group F (0xF1)', 0xf1, 'gsm7', 1],
    ['automatic deletion group (0x40)', 0x40, 'gsm7', null],
    ['reserved group read as GSM 7-bit (0x80)', 0x80, 'gsm7', null],
    ['reserved alphabet read as GSM 7-bit (0x0C)', 0x0c, 'gsm7', null],
    ['message waiting, discard (0xC8)', 0xc8, 'gsm7', null],
    ['message waiting, store (0xD8)', 0xd8, 'gsm7', null],
  ])('%s', (_name, dcs, encoding, messageClass) => {
    const decoded = deliver(deliverPdu({ dcs, userData: HELLO_UD }));
    expect(decoded).toMatchObject({ encoding, messageClass, text: 'Hello', dataCodingScheme: dcs });
  });

  it('message waiting, store, UCS-2 (0xE8) reads UCS-2', () => {
    const decoded = deliver(deliverPdu({ dcs: 0xe8, userData: octetUserData(ucs2Hex('Голосовая почта')) }));
    expect(decoded).toMatchObject({ encoding: 'ucs2', text: 'Голосовая почта' });
  });

  it.each([
    ['8-bit (0x04)', 0x04],
    ['8-bit class 1 via group F (0xF5)', 0xf5],
  ])('%s: text is the payload as uppercase hex', (_name, dcs) => {
    expect(deliver(deliverPdu({ dcs, userData: octetUserData('00ff7f80') })).text).toBe('00FF7F80');
  });

  it.each([0x20, 0x38, 0x64])('rejects compressed text (DCS %i) as SMS_PDU_UNSUPPORTED at the DCS', (dcs) => {
    const error = expectDecodeError(
      () => deliver(deliverPdu({ dcs, userData: HELLO_UD })),
      'SMS_PDU_UNSUPPORTED',
      UDL_OFFSET - 8,
    );
    expect(error.message).toContain('compressed text');
  });
});

describe('user data', () => {
  it.each([
    [
      '8-bit concatenation IE (UDHL 5, 1 fill bit)',
      '050003CC0302',
      { reference: 0xcc, total: 3, sequence: 2 },
    ],
    [
      '16-bit concatenation IE (UDHL 6, no fill bits)',
      '060804BEEF0201',
      { reference: 0xbeef, total: 2, sequence: 1 },
    ],
    [
      'port IE then 8-bit concatenation (UDHL 11, 4 fill bits)',
      '0B05040B8423F00003010101',
      { reference: 1, total: 1, sequence: 1 },
    ],
  ])('GSM 7-bit after a %s', (_name, udh, concat) => {
    const userData = gsm7UserData(toSeptets('Part text @ end@'), udh);
    const decoded = deliver(deliverPdu({ firstOctet: 0x44, userData }));
    expect(decoded.text).toBe('Part text @ end@');
    expect(decoded.concat).toMatchObject(concat);
  });

  it('ignores a concatenation IE with sequence 0 and decodes the text', () => {
    const decoded = deliver(
      deliverPdu({ firstOctet: 0x44, userData: gsm7UserData(toSeptets('Hi'), '050003CC0300') }),
    );
    expect(decoded).toMatchObject({ text: 'Hi', concat: null });
  });

  it('UCS-2 after a header, with a surrogate pair as one character', () => {
    const userData = octetUserData(ucs2Hex('Код 😀'), '050003010201');
    const decoded = deliver(deliverPdu({ firstOctet: 0x44, dcs: 0x08, userData }));
    expect(decoded).toMatchObject({ text: 'Код 😀', concat: { reference: 1, total: 2, sequence: 1 } });
    expect(Array.from(decoded.text)).toHaveLength(5);
  });

  it('8-bit after a header: the hex leaves the header out', () => {
    const decoded = deliver(
      deliverPdu({ firstOctet: 0x44, dcs: 0x04, userData: octetUserData('CAFE', '050003010201') }),
    );
    expect(decoded.text).toBe('CAFE');
  });

  it('applies the Turkish locking and single shift tables from the header (TS 23.038 A.3.1, A.2.1)', () => {
    // 0x40 is İ in the Turkish locking table; escape 0x47 is Ğ in the Turkish single shift table.
    const decoded = deliver(
      deliverPdu({ firstOctet: 0x44, userData: gsm7UserData([0x40, 0x1b, 0x47], '06250101240101') }),
    );
    expect(decoded).toMatchObject({ text: 'İĞ', lockingShiftLanguage: 1, singleShiftLanguage: 1 });
  });

  it('reads a language without tables with the default alphabet and reports none applied', () => {
    const decoded = deliver(
      deliverPdu({ firstOctet: 0x44, userData: gsm7UserData([0x40, 0x41], '03250163') }),
    );
    expect(decoded).toMatchObject({ text: '¡A', lockingShiftLanguage: 0, singleShiftLanguage: 0 });
  });

  it('accepts an empty message', () => {
    expect(deliver(deliverPdu({ userData: '00' })).text).toBe('');
    expect(deliver(deliverPdu({ dcs: 0x08, userData: '00' })).text).toBe('');
  });

  it('tolerates FF padding after the user data (SIM records are padded with FF)', () => {
    expect(deliver(deliverPdu({ userData: `${HELLO_UD}FFFFFFFF` })).text).toBe('Hello');
  });

  it.each([
    [
      'TP-UDL above 160 septets',
      deliverPdu({ userData: `A1${'00'.repeat(141)}` }),
      'SMS_PDU_INVALID',
      UDL_OFFSET,
    ],
    [
      'TP-UDL above 140 octets (UCS-2)',
      deliverPdu({ dcs: 0x08, userData: `8E${'00'.repeat(142)}` }),
      'SMS_PDU_INVALID',
      UDL_OFFSET,
    ],
    [
      'TP-UDL longer than the data',
      deliverPdu({ userData: '0AE8329BFD4697D9' }),
      'SMS_PDU_TRUNCATED',
      UDL_OFFSET + 1,
    ],
    ['no TP-UDL at all', deliverPdu({ userData: '' }), 'SMS_PDU_TRUNCATED', UDL_OFFSET],
    [
      'extra octets after the user data',
      deliverPdu({ userData: `${HELLO_UD}0D` }),
      'SMS_PDU_INVALID',
      UDL_OFFSET + 6,
    ],
    [
      'odd UCS-2 octet count',
      deliverPdu({ dcs: 0x08, userData: '030041FF' }),
      'SMS_PDU_INVALID',
      UDL_OFFSET + 1,
    ],
    [
      'odd UCS-2 count after a header',
      deliverPdu({ firstOctet: 0x44, dcs: 0x08, userData: '06027000410042' }),
      'SMS_PDU_INVALID',
      UDL_OFFSET + 4,
    ],
    [
      'TP-UDHI set, empty user data',
      deliverPdu({ firstOctet: 0x44, userData: '00' }),
      'SMS_PDU_INVALID',
      UDL_OFFSET + 1,
    ],
    [
      'UDHL beyond the user data',
      deliverPdu({ firstOctet: 0x44, dcs: 0x04, userData: '0305000301' }),
      'SMS_PDU_INVALID',
      UDL_OFFSET + 1,
    ],
    [
      'UDH septets beyond TP-UDL (GSM 7-bit)',
      deliverPdu({ firstOctet: 0x44, userData: '06050003010201' }),
      'SMS_PDU_INVALID',
      UDL_OFFSET + 1,
    ],
    [
      'malformed IE length inside the UDH',
      deliverPdu({ firstOctet: 0x44, dcs: 0x04, userData: '06050004CC0302' }),
      'SMS_PDU_INVALID',
      UDL_OFFSET + 2,
    ],
  ] as const)('rejects %s', (_name, pdu, code, offset) => {
    expectDecodeError(() => decodePdu(pdu), code, offset);
  });
});
