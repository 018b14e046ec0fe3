import { describe, expect, it } from 'vitest';
import { StageRecorder } from '../../src/bridge/stage-trace.js';
import type { ByteChannel } from '../../src/transport/byte-channel.js';
import { tracedChannel } from '../../src/transport/traced-channel.js';

/** A channel whose incoming bytes the test pushes and whose writes it records. */
function fakeChannel(): ByteChannel & { receive(text: string): void; written: string[] } {
  const listeners = new Set<(chunk: Uint8Array) => void>();
  const written: string[] = [];
  return {
    name: '/dev/gsm/slot01',
    isOpen: true,
    written,
    receive: (text) => {
      for (const listener of listeners) listener(Buffer.from(text, 'latin1'));
    },
    write: async (data) => {
      written.push(Buffer.from(data).toString('latin1'));
    },
    onData: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose: () => () => {},
    close: async () => {},
  };
}

describe('stage trace', () => {
  it('follows one exchange on the wire, from +CMTI to AT+CMGD, with lines split across chunks', async () => {
    const trace = new StageRecorder();
    const raw = fakeChannel();
    const channel = tracedChannel(raw, trace);
    raw.receive('\r\n+CMTI: "SM"');
    expect(trace.records()).toEqual([]);
    raw.receive(',4\r\n');
    await channel.write(Buffer.from('AT+CMGR=4\r'));
    raw.receive('\r\n+CMGR: 0,,22\r\n0791...\r\n');
    expect(trace.records()[0]?.at.replyComplete).toBeUndefined();
    raw.receive('\r\nOK\r\n');
    trace.mark(raw.name, 4, 'decoded');
    trace.mark(raw.name, 4, 'committed');
    trace.linkPush(raw.name, 4, 77);
    trace.markPush(77, 'pushSent');
    await channel.write(Buffer.from('AT+CMGD=4\r'));
    trace.markPush(77, 'answerReceived');
    const [record] = trace.records();
    expect(record).toMatchObject({ port: raw.name, index: 4, pushId: 77 });
    const stages = [
      'cmtiParsed',
      'readWritten',
      'replyComplete',
      'decoded',
      'committed',
      'pushSent',
      'deleteWritten',
      'answerReceived',
    ] as const;
    const times = stages.map((stage) => record?.at[stage]);
    expect(times.every((time) => typeof time === 'number')).toBe(true);
    expect([...times].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(times);
    expect(raw.written).toEqual(['AT+CMGR=4\r', 'AT+CMGD=4\r']);
  });

  it('does not trace reads no +CMTI started (a sweep), and a new +CMTI on a slot starts a new exchange', async () => {
    const trace = new StageRecorder();
    const raw = fakeChannel();
    const channel = tracedChannel(raw, trace);
    await channel.write(Buffer.from('AT+CMGR=2\r'));
    raw.receive('\r\n+CMGR: 0,,22\r\nAA\r\n\r\nOK\r\n');
    expect(trace.records()).toEqual([]);
    raw.receive('\r\n+CMTI: "SM",2\r\n');
    raw.receive('\r\n+CMTI: "SM",2\r\n');
    expect(trace.records()).toHaveLength(2);
  });

  it('leaves the channel untouched when tracing is off', () => {
    const raw = fakeChannel();
    expect(
      tracedChannel(raw, { enabled: false, mark: () => {}, linkPush: () => {}, markPush: () => {} }),
    ).toBe(raw);
  });
});
