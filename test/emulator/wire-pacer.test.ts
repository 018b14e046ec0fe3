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
