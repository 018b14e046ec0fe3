import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmulatedModem } from '../../src/emulator/modem.js';
import { WirePacer, wireTimeMs } from '../../src/emulator/wire-pacer.js';
import { VECTORS } from './helpers.js';

describe('serial line pacing', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('computes wire time at 10 bits per byte', () => {
    expect(wireTimeMs(1000, 115_200)).toBeCloseTo(86.806, 2);
    expect(wireTimeMs(96, 9_600)).toBe(100);
    expect(wireTimeMs(1000, 0)).toBe(0);
  });

  it('releases output no faster than the baud rate allows, in order, without a timer per byte', () => {
    vi.useFakeTimers();
    const delivered: number[] = [];
    const pacer = new WirePacer({
      baudRate: 9_600,
      now: () => Date.now(),
      deliver: (bytes) => delivered.push(bytes.length),
      receive: () => undefined,
      packetBytes: 1,
    });
    const first: number[] = [];
    pacer.send(new Uint8Array(960).fill(0x41), (atMs) => first.push(atMs));
    const start = Date.now();
    vi.advanceTimersByTime(500);
    const half = delivered.reduce((a, b) => a + b, 0);
    expect(half).toBeGreaterThanOrEqual(470);
    expect(half).toBeLessThanOrEqual(481);
    vi.advanceTimersByTime(500);
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(960);
    expect(first).toEqual([start]);
    // Chunks per tick, not per byte.
    expect(delivered.length).toBeLessThanOrEqual(1001);
    expect(Math.max(...delivered)).toBeGreaterThan(0);
  });

  it('hands the host whole USB packets at line rate, and the tail of an answer as soon as it has crossed', () => {
    vi.useFakeTimers();
    const delivered: Array<{ at: number; bytes: number }> = [];
    const start = Date.now();
    const pacer = new WirePacer({
      baudRate: 9_600,
      now: () => Date.now(),
      deliver: (bytes) => delivered.push({ at: Date.now() - start, bytes: bytes.length }),
      receive: () => undefined,
    });
    // 1000 bytes at 0.96 bytes/ms: 15 packets of 64 and a tail of 40.
    pacer.send(new Uint8Array(1000).fill(0x41));
    vi.advanceTimersByTime(500);
    // 480 bytes have crossed by now, which is 7 whole packets: the 8th is not complete.
    expect(delivered.map((d) => d.bytes)).toEqual([64, 64, 64, 64, 64, 64, 64]);
    // Each packet leaves once its 64th byte is through (66.7 ms per packet), not before.
    expect(delivered[0]?.at).toBe(67);
    vi.advanceTimersByTime(600);
    expect(delivered.map((d) => d.bytes)).toEqual([...Array(15).fill(64), 40]);
    // The short tail leaves when its last byte is through: 1000 / 0.96 = 1041.7 ms.
    expect(delivered.at(-1)?.at).toBe(1042);
    expect(pacer.pendingOutputBytes).toBe(0);
  });

  /**
   * A 9600-baud pacer on a hand-moved clock whose modem answers `answerBytes` the moment a command
   * is handed over, as the emulator does with no reply delay. `runTimersAt(at, by)` sets the clock
   * to `at`, then runs the timers due in the next `by` ms: one that runs past its due time ran late.
   */
  function pacerAnsweringAtOnce(answerBytes: number) {
    let clock = 0;
    const delivered: Array<{ at: number; bytes: number }> = [];
    const answerFirstBytes: number[] = [];
    const pacer: WirePacer = new WirePacer({
      baudRate: 9_600,
      now: () => clock,
      deliver: (bytes) => delivered.push({ at: clock, bytes: bytes.length }),
      receive: () =>
        pacer.send(new Uint8Array(answerBytes).fill(0x4f), (atMs) => answerFirstBytes.push(atMs)),
    });
    const runTimersAt = (atMs: number, advanceMs: number) => {
      clock = atMs;
      vi.advanceTimersByTime(advanceMs);
    };
    return { pacer, delivered, answerFirstBytes, runTimersAt };
  }

  it('starts an answer on the line when its command arrived, not when a late timer handed it over', () => {
    vi.useFakeTimers();
    const { pacer, delivered, answerFirstBytes, runTimersAt } = pacerAnsweringAtOnce(64);
    // 12 bytes at 0.96 bytes/ms: the command's last byte is through at 12.5 ms.
    pacer.accept(new Uint8Array(12).fill(0x41));
    // The event loop was busy: the input timer runs at 20 ms instead of 13.
    runTimersAt(20, 13);
    // The answer's 64 bytes take 66.7 ms from 12.5 ms: through at 79.2 ms, not at 86.7.
    runTimersAt(79, 1);
    expect(delivered).toEqual([]);
    runTimersAt(80, 1);
    expect(delivered).toEqual([{ at: 80, bytes: 64 }]);
    expect(answerFirstBytes).toEqual([12.5]);
  });

  it('queues an answer behind output still on the line, however late its command was handed over', () => {
    vi.useFakeTimers();
    const { pacer, delivered, answerFirstBytes, runTimersAt } = pacerAnsweringAtOnce(10);
    // An unsolicited line of 64 bytes occupies the output until 66.7 ms.
    pacer.send(new Uint8Array(64).fill(0x55));
    pacer.accept(new Uint8Array(12).fill(0x41));
    runTimersAt(20, 13);
    // The answer follows the line's busy period: its first byte at 66.7 ms, its last at 77.1 ms.
    runTimersAt(77, 1);
    expect(delivered).toEqual([{ at: 77, bytes: 64 }]);
    runTimersAt(78, 1);
    expect(delivered).toEqual([
      { at: 77, bytes: 64 },
      { at: 78, bytes: 10 },
    ]);
    expect(answerFirstBytes).toHaveLength(1);
    expect(answerFirstBytes[0]).toBeCloseTo(66.667, 2);
  });

  it('rejects a packet size that is not a whole number of bytes', () => {
    const options = { baudRate: 9_600, now: () => 0, deliver: () => undefined, receive: () => undefined };
    expect(() => new WirePacer({ ...options, packetBytes: 0 })).toThrow(RangeError);
    expect(() => new WirePacer({ ...options, packetBytes: 2.5 })).toThrow(RangeError);
  });

  it('processes a command only after its wire time and stamps +CMTI with its first byte', () => {
    vi.useFakeTimers();
    const modem = new EmulatedModem({ baudRate: 9_600, now: () => Date.now() });
    let out = '';
    modem.on('output', (bytes) => {
      out += Buffer.from(bytes).toString();
    });
    const commands: string[] = [];
    modem.on('command', (line) => commands.push(line));
    const sentAt = Date.now();
    modem.hostWrite(Buffer.from('ATE0;+CNMI=2,1,0,0,0\r'));
    // 21 bytes at 960 bytes/s = 21.9 ms on the wire.
    vi.advanceTimersByTime(20);
    expect(commands).toEqual([]);
    vi.advanceTimersByTime(5);
    expect(commands).toEqual(['ATE0;+CNMI=2,1,0,0,0']);
    vi.advanceTimersByTime(100);
    expect(out.endsWith('OK\r\n')).toBe(true);
    out = '';
    const stamps: number[] = [];
    modem.on('cmtiSent', (info) => stamps.push(info.atMs));
    const injectedAt = Date.now();
    modem.injectPdu(VECTORS.howAreYou);
    vi.advanceTimersByTime(100);
    expect(out).toBe('\r\n+CMTI: "SM",1\r\n');
    expect(stamps).toEqual([injectedAt]);
    expect(injectedAt).toBeGreaterThan(sentAt);
    modem.dispose();
  });
});
