import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { deliverPdu } from './support/deliver-pdu.js';
import { type BridgeHarness, bridgeHarness, ICCID, PHONE, stored } from './support/harness.js';

let h: BridgeHarness;
afterEach(() => h?.cleanup());

describe('IngestPipeline: the info line for each SMS that arrives', () => {
  it('names port, SIM, storage index and message id, never the sender or the text', async () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
    h = bridgeHarness({ log });
    await h.repo.createOperation({ id: 355, phone: PHONE, service: 'instagram', source: 'admin' });
    const result = await h.pipeline.ingest(
      stored(deliverPdu({ sender: 'Instagram', text: 'code 800142' }), 7),
    );
    const arrived = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.msg === 'SMS stored');
    expect(arrived).toEqual([
      expect.objectContaining({
        level: 30,
        layer: 'bridge',
        port: '/dev/gsm/slot1',
        sim: ICCID,
        storage: 'SM',
        index: 7,
        messageId: result.messageId,
        status: 'pending',
      }),
    ]);
    const all = lines.join('');
    expect(all).not.toContain('800142');
    expect(all).not.toContain('Instagram');
  });
});
