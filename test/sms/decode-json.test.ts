import { describe, expect, it } from 'vitest';
import { type SmsDeliver, toDecodeJson } from '../../src/sms/index.js';

const base: SmsDeliver = {
  type: 'deliver',
  smsc: '+79168999100',
  sender: 'Instagram',
  senderType: 'alphanumeric',
  protocolId: 0,
  dataCodingScheme: 0x11,
  encoding: 'gsm7',
  messageClass: 1,
  timestamp: '2026-11-24T12:00:00+03:00',
  text: 'Your code is 800142',
  concat: { reference: 49494, total: 3, sequence: 2, referenceBits: 16 },
  moreMessagesToSend: false,
  statusReportIndication: false,
  replyPath: false,
  lockingShiftLanguage: 0,
  singleShiftLanguage: 0,
};

describe('toDecodeJson (CONTRACT.md §1 decode output)', () => {
  it('prints exactly the contract keys, in the contract order', () => {
    expect(JSON.stringify(toDecodeJson(base))).toBe(
      '{"sender":"Instagram","senderType":"alphanumeric","text":"Your code is 800142","encoding":"gsm7",' +
        '"timestamp":"2026-11-24T12:00:00+03:00","smsc":"+79168999100",' +
        '"concat":{"ref":49494,"total":3,"seq":2},"class":1}',
    );
  });

  it('prints null concat, class and smsc as null', () => {
    const json = toDecodeJson({ ...base, concat: null, messageClass: null, smsc: null });
    expect(json).toMatchObject({ concat: null, class: null, smsc: null });
    expect(Object.keys(json)).toEqual([
      'sender',
      'senderType',
      'text',
      'encoding',
      'timestamp',
      'smsc',
      'concat',
      'class',
    ]);
  });
});
