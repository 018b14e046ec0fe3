import type { IngestInput, MessageInput } from '../../../src/store/repository.js';

/**
 * The `n`-th single SMS to `phone`, routed to PUSH_SMS, as the ingest pipeline hands it to the
 * store; `message` changes what a test needs (sender, text, arrival time...).
 */
export function pushedSmsTo(phone: string, n: number, message: Partial<MessageInput> = {}): IngestInput {
  return {
    kind: 'single',
    route: { kind: 'push', phone },
    message: {
      simKey: `iccid-${phone}`,
      iccid: `iccid-${phone}`,
      imsi: null,
      port: `/dev/gsm/${phone}`,
      phone,
      storage: 'SM',
      storageIndex: n,
      rawPdu: null,
      rawText: null,
      dedupeKey: `${phone}-${n}`,
      sender: 'VK',
      senderType: 'alphanumeric',
      text: `VK code ${n}`,
      encoding: 'gsm7',
      scTimestamp: null,
      receivedAtMs: 1_000 + n,
      ...message,
    },
  };
}
