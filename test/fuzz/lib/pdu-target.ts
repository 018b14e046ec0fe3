import { readFileSync } from 'node:fs';
import { encodeSmsDeliver } from '../../../src/sms/encode-deliver.js';
import { decodePdu, toDecodeJson } from '../../../src/sms/index.js';
import {
  bytesToHex,
  hexToBytes,
  int,
  mutateBytes,
  mutateText,
  pick,
  type Random,
  randomBytes,
} from './mutate.js';
import type { OutcomeTally } from './outcome.js';

/**
 * Fuzz target: the PDU decoder (TS 23.040 SMS-DELIVER/SUBMIT/STATUS-REPORT as `AT+CMGR` prints
 * them). Inputs: mutations of the shared vectors (test/fixtures/sms-deliver.jsonl) and of the
 * encoder's output, random hex, and strings that are not hex at all. Every input must decode or
 * throw an `SmsDecodeError` with one of its codes.
 */

export const PDU_ERROR_CODES: ReadonlySet<string> = new Set([
  'SMS_PDU_INVALID_HEX',
  'SMS_PDU_TRUNCATED',
  'SMS_PDU_INVALID',
  'SMS_PDU_UNSUPPORTED',
  'SMS_PDU_NOT_DELIVER',
]);

const FIXTURES = new URL('../../fixtures/sms-deliver.jsonl', import.meta.url);

/** Valid PDUs to mutate: every shared vector plus the encoder's output for varied specs. */
export function pduSeeds(): Uint8Array[] {
  const seeds: string[] = [];
  for (const line of readFileSync(FIXTURES, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const vector = JSON.parse(line) as { pdu?: string };
    if (typeof vector.pdu === 'string') seeds.push(vector.pdu);
  }
  const long = 'Your code is 480213. '.repeat(12);
  const specs = [
    { sender: '+79161234567', text: 'Hello' },
    { sender: 'Instagram', text: 'Код 480213', encoding: 'ucs2' as const },
    { sender: '900', text: long, reference: 200 },
    { sender: '+447700900123', text: `${long}😀€[]{}`, reference: 0x1234, referenceBits: 16 as const },
    { sender: 'Bank', text: 'ÇĞİŞ ğış', lockingShiftLanguage: 1, singleShiftLanguage: 1 },
    { sender: '12345', text: '00FF10', encoding: '8bit' as const, messageClass: 1 as const },
    { sender: '+1', text: 'class 0', messageClass: 0 as const, smsc: null },
  ];
  for (const spec of specs) seeds.push(...encodeSmsDeliver({ ...spec, smsc: spec.smsc ?? '+79000000000' }));
  return seeds.map(hexToBytes);
}

const HEX_NOISE = '0123456789ABCDEFabcdef GZ\r\n-';

/** One case: picks a generator, decodes, records the outcome. */
export function pduCase(random: Random, seeds: readonly Uint8Array[], tally: OutcomeTally): void {
  const roll = random();
  let hex: string;
  if (roll < 0.75) hex = bytesToHex(mutateBytes(random, pick(random, seeds)));
  else if (roll < 0.85) hex = bytesToHex(randomBytes(random, int(random, 180)));
  else if (roll < 0.95) hex = mutateText(random, bytesToHex(pick(random, seeds)), HEX_NOISE);
  else hex = bytesToHex(pick(random, seeds)).slice(0, int(random, 60));
  const hasSmsc = random() < 0.85;
  tally.record(
    'pdu',
    PDU_ERROR_CODES,
    () => `${hasSmsc ? '' : '(no SMSC) '}${hex}`,
    () => {
      const decoded = decodePdu(hex, { hasSmsc });
      if (decoded.type === 'deliver') JSON.stringify(toDecodeJson(decoded));
    },
  );
}
