import { describe, expect, it } from 'vitest';
import { decodePdu } from '../../src/sms/decode-pdu.js';
import { encodeSmsStatusReport } from '../../src/sms/encode-status-report.js';
import { encodeSmsSubmit } from '../../src/sms/encode-submit.js';

describe('encodeSmsSubmit', () => {
  it('encodes a SUBMIT the decoder classifies as such', () => {
    const [pdu] = encodeSmsSubmit({ recipient: '+79161234567', text: 'Hello', messageReference: 9 });
    const decoded = decodePdu(pdu ?? '');
    expect(decoded).toMatchObject({
      type: 'submit',
      smsc: null,
      messageReference: 9,
      recipient: '+79161234567',
      recipientType: 'international',
      encoding: 'gsm7',
      text: 'Hello',
      concat: null,
    });
  });

  it('splits long texts and numbers the parts', () => {
    const pdus = encodeSmsSubmit({
      recipient: '900',
      text: 'Привет '.repeat(20),
      reference: 3,
      smsc: '+79168999100',
    });
    expect(pdus).toHaveLength(3);
    const decoded = pdus.map((pdu) => decodePdu(pdu));
    expect(decoded.map((d) => (d.type === 'submit' ? d.messageReference : -1))).toEqual([0, 1, 2]);
    expect(decoded.map((d) => (d.type === 'submit' ? d.text : '')).join('')).toBe('Привет '.repeat(20));
    expect(decoded[0]).toMatchObject({
      smsc: '+79168999100',
      concat: { reference: 3, total: 3, sequence: 1 },
    });
  });
});

describe('encodeSmsStatusReport', () => {
  it('encodes a STATUS-REPORT the decoder never mistakes for a DELIVER', () => {
    const pdu = encodeSmsStatusReport({
      messageReference: 42,
      recipient: '+79161234567',
      status: 0,
      serviceCentreTimestamp: new Date('2024-11-25T09:00:00Z'),
      dischargeTimestamp: new Date('2024-11-25T09:00:05Z'),
      timezoneQuarterHours: 12,
    });
    expect(decodePdu(pdu)).toEqual({
      type: 'status-report',
      smsc: null,
      messageReference: 42,
      recipient: '+79161234567',
      recipientType: 'international',
      serviceCentreTimestamp: '2024-11-25T12:00:00+03:00',
      dischargeTimestamp: '2024-11-25T12:00:05+03:00',
      status: 0,
    });
  });
});
