import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import type { AtEngineOptions, AtEngineTimeouts } from '../../src/at/engine-options.js';
import { AtCommandError, type AtTimeoutError } from '../../src/at/errors.js';
import type { UrcHandler } from '../../src/at/types.js';
import { isGatewayError } from '../../src/errors.js';
import { type Logger, silentLogger } from '../../src/log.js';
import { ScriptChannel } from './script-channel.js';

async function expectGatewayError(promise: Promise<unknown>, code: string): Promise<Error> {
  const err = await promise.then(
    () => {
      throw new Error(`expected ${code}, got success`);
    },
    (e: unknown) => e,
  );
  if (!isGatewayError(err)) throw new Error(`expected a GatewayError ${code}, got ${String(err)}`);
  expect(err.code).toBe(code);
  return err;
}

function setup(timeouts: Partial<AtEngineTimeouts> = {}, extra: Partial<AtEngineOptions> = {}) {
  const script = new ScriptChannel();
  const engine = new AtEngine({
    channel: script,
    log: silentLogger(),
    timeouts: { defaultMs: 1000, ...timeouts },
    ...extra,
  });
  const unhandled: string[] = [];
  engine.onUnhandledLine((line) => unhandled.push(line));
  return { script, engine, unhandled };
}

function collector(name: string, pattern: RegExp, extra = 0): UrcHandler & { seen: string[][] } {
  const seen: string[][] = [];
  return {
    name,
    seen,
    match: (line) => pattern.test(line),
    extraLines: () => extra,
    handle: (lines) => seen.push([...lines]),
  };
}

describe('AtEngine: answers', () => {
  it('resolves information lines and the final result', async () => {
    const { script, engine } = setup();
    script.expect('AT+CSQ\r').reply('+CSQ: 17,99', 'OK');
    await expect(engine.send('AT+CSQ')).resolves.toEqual({
      command: 'AT+CSQ',
      lines: ['+CSQ: 17,99'],
      final: { kind: 'ok' },
    });
    script.assertDone();
  });

  it('drops the echo, case-insensitively, and keeps PDU lines after +CMGL headers', async () => {
    const { script, engine } = setup();
    script
      .expect('at+cmgl=4\r')
      .reply('AT+CMGL=4', '+CMGL: 0,1,,24', '07911326040000F0', '+CMGL: 1,1,,24', 'ABCD', 'OK');
    const res = await engine.send('at+cmgl=4', { expect: ['+CMGL:'] });
    expect(res.lines).toEqual(['+CMGL: 0,1,,24', '07911326040000F0', '+CMGL: 1,1,,24', 'ABCD']);
  });

  it('rejects an error result with AtCommandError carrying the result, unless allowError', async () => {
    const { script, engine } = setup();
    script.expect('AT+CPMS?\r').reply('+CMS ERROR: 314');
    const err = await expectGatewayError(engine.send('AT+CPMS?'), 'AT_COMMAND_FAILED');
    expect(err).toBeInstanceOf(AtCommandError);
    expect((err as AtCommandError).result).toEqual({ kind: 'cms', code: 314 });
    expect(err.message).toContain('SIM busy');

    script.expect('AT^CURC=0\r').reply('COMMAND NOT SUPPORT');
    await expect(engine.send('AT^CURC=0', { allowError: true })).resolves.toMatchObject({
      final: { kind: 'vendor-error', text: 'COMMAND NOT SUPPORT' },
    });
  });

  it('runs one command at a time, in order', async () => {
    const { script, engine } = setup();
    script.expect('ATE0\r').reply('OK');
    script.expect('AT+CMEE=1\r').reply('OK');
    script.expect('AT+CMGF=0\r').reply('OK');
    const order: string[] = [];
    await Promise.all(
      ['ATE0', 'AT+CMEE=1', 'AT+CMGF=0'].map((c) => engine.send(c).then(() => order.push(c))),
    );
    expect(order).toEqual(['ATE0', 'AT+CMEE=1', 'AT+CMGF=0']);
    expect(script.writes).toEqual(['ATE0\r', 'AT+CMEE=1\r', 'AT+CMGF=0\r']);
  });

  it('writes the body and Ctrl-Z after the > prompt (AT+CMGS), skipping the body echo', async () => {
    const { script, engine } = setup();
    script.expect('AT+CMGS=18\r').replyRaw('\r\n> ');
    script
      .expect('0011000B9121436587F90000AA0161\x1a')
      .replyRaw('0011000B9121436587F90000AA0161\x1a\r\n+CMGS: 7\r\n\r\nOK\r\n');
    const res = await engine.send('AT+CMGS=18', {
      promptBody: '0011000B9121436587F90000AA0161',
      expect: ['+CMGS:'],
    });
    expect(res.lines).toEqual(['+CMGS: 7']);
    script.assertDone();
  });

  it('rejects malformed commands without writing', async () => {
    const { script, engine } = setup();
    await expectGatewayError(engine.send('AT\rAT'), 'AT_INVALID_COMMAND');
    await expectGatewayError(engine.send('AT+CMGS=3', { promptBody: 'ab\x1a' }), 'AT_INVALID_COMMAND');
    expect(script.writes).toEqual([]);
  });

  it('does not lose lines split across chunks of any size', async () => {
    for (const size of [1, 2, 3, 7]) {
      const { script, engine } = setup();
      script.chunkSize = size;
      script.expect('AT+CGSN\r').reply('AT+CGSN', '356938035643809', 'OK');
      await expect(engine.send('AT+CGSN')).resolves.toMatchObject({ lines: ['356938035643809'] });
    }
  });
});

describe('AtEngine: URC routing', () => {
  it('gives a URC in the middle of an answer to its handler, not to the command', async () => {
    const { script, engine } = setup();
    const cmti = collector('cmti', /^\+CMTI:/);
    engine.addUrcHandler(cmti);
    script
      .expect('AT+CMGL=4\r')
      .reply('+CMGL: 0,1,,24', 'AAAA', '+CMTI: "SM",3', '+CMGL: 1,1,,24', 'BBBB', 'OK');
    const res = await engine.send('AT+CMGL=4', { expect: ['+CMGL:'] });
    expect(res.lines).toEqual(['+CMGL: 0,1,,24', 'AAAA', '+CMGL: 1,1,,24', 'BBBB']);
    expect(cmti.seen).toEqual([['+CMTI: "SM",3']]);
  });

  it('gives a line to the command when it starts with an expected prefix, even if a URC matches', async () => {
    const { script, engine } = setup();
    const creg = collector('creg', /^\+CREG:/);
    engine.addUrcHandler(creg);
    script.expect('AT+CREG?\r').reply('+CREG: 0,1', 'OK');
    await expect(engine.send('AT+CREG?', { expect: ['+CREG:'] })).resolves.toMatchObject({
      lines: ['+CREG: 0,1'],
    });
    expect(creg.seen).toEqual([]);
    script.emitLines('+CREG: 5');
    expect(creg.seen).toEqual([['+CREG: 5']]);
  });

  it('lets a +CMT handler claim the PDU line, mid-command too', async () => {
    const { script, engine } = setup();
    const cmt = collector('cmt', /^\+CMT:/, 1);
    engine.addUrcHandler(cmt);
    script
      .expect('AT+CSQ\r')
      .reply('+CMT: ,24', '07911326040000F0040B911346610089F60000', '+CSQ: 20,99', 'OK');
    const res = await engine.send('AT+CSQ', { expect: ['+CSQ:'] });
    expect(res.lines).toEqual(['+CSQ: 20,99']);
    expect(cmt.seen).toEqual([['+CMT: ,24', '07911326040000F0040B911346610089F60000']]);
  });

  it('does not let a claim swallow a final result', async () => {
    const { script, engine, unhandled } = setup();
    engine.addUrcHandler(collector('cds', /^\+CDS:/, 1));
    script.expect('AT\r').reply('+CDS: 25', 'OK');
    await expect(engine.send('AT')).resolves.toMatchObject({ final: { kind: 'ok' } });
    expect(unhandled).toEqual(['+CDS: 25']);
  });

  it('sends boot noise and garbage to unhandled-line listeners', () => {
    const { script, unhandled } = setup();
    script.emitRaw(
      '\x00\x00RDY\r\n\r\n+CFUN: 1\r\n+CPIN: READY\r\r\n^BOOT:1234,0,0,0,72\r\nSMS Ready\r\n\xff\xfe\r\n',
    );
    expect(unhandled).toEqual([
      'RDY',
      '+CFUN: 1',
      '+CPIN: READY',
      '^BOOT:1234,0,0,0,72',
      'SMS Ready',
      '\xff\xfe',
    ]);
  });

  it('keeps routing after a handler throws, and unregisters handlers', () => {
    const { script, engine, unhandled } = setup();
    const remove = engine.addUrcHandler({
      name: 'bad',
      match: (l) => l.startsWith('^RSSI'),
      handle: () => {
        throw new Error('boom');
      },
    });
    script.emitLines('^RSSI:12');
    expect(unhandled).toEqual([]);
    remove();
    script.emitLines('^RSSI:13');
    expect(unhandled).toEqual(['^RSSI:13']);
  });
});

describe('AtEngine: deadlines, cancellation, desync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('times out a silent command, keeping the partial lines', async () => {
    const { script, engine } = setup({}, { callerStacks: true });
    script.expect('AT+CMGL=4\r').reply('+CMGL: 0,1,,24', 'AAAA');
    const listFromCaller = () => engine.send('AT+CMGL=4', { timeoutMs: 500 });
    const pending = listFromCaller();
    const assertion = expectGatewayError(pending, 'AT_TIMEOUT');
    await vi.advanceTimersByTimeAsync(500);
    const err = (await assertion) as AtTimeoutError;
    expect(err.partialLines).toEqual(['+CMGL: 0,1,,24', 'AAAA']);
    expect(err.command).toBe('AT+CMGL=4');
    // The stack points at the caller of send(), not at a timer callback.
    expect(err.stack).toContain('listFromCaller');
  });

  it('captures caller stacks by default only when the logger is at debug', async () => {
    const timeOutFromCaller = async (log: Logger): Promise<string> => {
      const { script, engine } = setup({}, { log });
      script.expect('AT+CSQ\r').reply();
      const assertion = expectGatewayError(engine.send('AT+CSQ', { timeoutMs: 100 }), 'AT_TIMEOUT');
      await vi.advanceTimersByTimeAsync(100);
      return ((await assertion) as AtTimeoutError).stack ?? '';
    };
    const debug = pino({ level: 'debug' }, { write: () => {} });
    expect(await timeOutFromCaller(debug)).toContain('timeOutFromCaller');
    expect(await timeOutFromCaller(silentLogger())).not.toContain('timeOutFromCaller');
  });

  it('does not let a URC storm extend a deadline', async () => {
    const { script, engine } = setup();
    const rssi = collector('rssi', /^\^RSSI:/);
    engine.addUrcHandler(rssi);
    script.expect('AT+CPMS?\r').reply();
    const storm = setInterval(() => script.emitLines('^RSSI:17'), 100);
    const assertion = expectGatewayError(engine.send('AT+CPMS?', { timeoutMs: 1000 }), 'AT_TIMEOUT');
    let settled = false;
    void assertion.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await assertion;
    expect(settled).toBe(true);
    expect(rssi.seen.length).toBeGreaterThanOrEqual(9);
    clearInterval(storm);
  });

  it('cancels a queued command without writing it', async () => {
    const { script, engine } = setup();
    script.expect('AT+CSQ\r').reply();
    const first = engine.send('AT+CSQ');
    const controller = new AbortController();
    const second = engine.send('AT+CGSN', { signal: controller.signal });
    controller.abort(new Error('no longer needed'));
    await expectGatewayError(second, 'AT_ABORTED');
    script.emitLines('+CSQ: 1,99', 'OK');
    await expect(first).resolves.toMatchObject({ lines: ['+CSQ: 1,99'] });
    expect(script.writes).toEqual(['AT+CSQ\r']);
  });

  it('cancels the command in flight, then resynchronises before the next', async () => {
    const { script, engine } = setup({ resyncQuietMs: 100 });
    script.expect('AT+COPS=?\r').reply();
    const controller = new AbortController();
    const scan = engine.send('AT+COPS=?', { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await expectGatewayError(scan, 'AT_ABORTED');
    script.expect('AT\r').reply('OK');
    script.expect('AT+CSQ\r').reply('+CSQ: 9,99', 'OK');
    const next = engine.send('AT+CSQ');
    await vi.advanceTimersByTimeAsync(300);
    await expect(next).resolves.toMatchObject({ lines: ['+CSQ: 9,99'] });
    script.assertDone();
  });

  it('rejects an already-aborted signal at once', async () => {
    const { engine } = setup();
    await expectGatewayError(engine.send('AT', { signal: AbortSignal.abort() }), 'AT_ABORTED');
  });

  it('discards a late answer that arrives while idle', async () => {
    const { script, engine, unhandled } = setup();
    script.expect('AT+CLAC\r').reply();
    const slow = expectGatewayError(engine.send('AT+CLAC', { timeoutMs: 200 }), 'AT_TIMEOUT');
    await vi.advanceTimersByTimeAsync(200);
    await slow;
    script.emitLines('+CLAC: AT+CGMI', 'OK');
    script.expect('AT+CGMI\r').reply('huawei', 'OK');
    await expect(engine.send('AT+CGMI')).resolves.toMatchObject({ lines: ['huawei'] });
    expect(unhandled).toEqual(['+CLAC: AT+CGMI', 'OK']);
    expect(engine.stats).toMatchObject({ commands: 2, timeouts: 1, resyncs: 0, unhandledLines: 2 });
    script.assertDone();
  });

  it('never gives a late answer to the next command (late OK during the drain)', async () => {
    const { script, engine } = setup({ resyncQuietMs: 100 });
    script.expect('AT+CPMS?\r').reply();
    const first = expectGatewayError(engine.send('AT+CPMS?', { timeoutMs: 200 }), 'AT_TIMEOUT');
    await vi.advanceTimersByTimeAsync(200);
    await first;
    script.expect('AT+CSQ\r').reply('+CSQ: 20,99', 'OK');
    const next = engine.send('AT+CSQ');
    await vi.advanceTimersByTimeAsync(50);
    expect(script.writes).toEqual(['AT+CPMS?\r']);
    script.emitLines('+CPMS: 3,30,3,30,3,30', 'OK');
    await vi.advanceTimersByTimeAsync(1);
    await expect(next).resolves.toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 20,99'], final: { kind: 'ok' } });
    script.assertDone();
  });

  it('never gives a late answer to the next command (late OK right after the AT probe)', async () => {
    const { script, engine, unhandled } = setup({ resyncQuietMs: 100, syncMs: 500 });
    script.expect('AT+CPMS?\r').reply();
    const first = expectGatewayError(engine.send('AT+CPMS?', { timeoutMs: 200 }), 'AT_TIMEOUT');
    await vi.advanceTimersByTimeAsync(200);
    await first;
    // The probe is written after 100 ms of silence; the modem then finishes the old answer
    // first and answers the probe second.
    script.expect('AT\r').reply('+CPMS: 3,30,3,30,3,30', 'OK', 'OK');
    script.expect('AT+CSQ\r').reply('+CSQ: 20,99', 'OK');
    const next = engine.send('AT+CSQ');
    await vi.advanceTimersByTimeAsync(500);
    await expect(next).resolves.toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 20,99'], final: { kind: 'ok' } });
    expect(unhandled).toEqual(['OK']);
    expect(engine.stats).toMatchObject({ commands: 2, timeouts: 1, resyncs: 1 });
    script.assertDone();
  });

  it('sends ESC when a prompt command is cancelled before its body went out', async () => {
    const { script, engine } = setup();
    script.expect('AT+CMGS=10\r').reply();
    const sending = expectGatewayError(
      engine.send('AT+CMGS=10', { promptBody: 'AB', timeoutMs: 300 }),
      'AT_TIMEOUT',
    );
    script.expect('\x1b').reply();
    await vi.advanceTimersByTimeAsync(300);
    await sending;
    script.assertDone();
  });
});

describe('AtEngine: closing', () => {
  it('close() rejects queued and in-flight commands with AT_PORT_CLOSED and notifies', async () => {
    const { script, engine } = setup();
    script.expect('AT+CSQ\r').reply();
    const closed: Array<Error | null> = [];
    engine.onClosed((e) => closed.push(e));
    const a = engine.send('AT+CSQ');
    const b = engine.send('AT+CGSN');
    await engine.close();
    await expectGatewayError(a, 'AT_PORT_CLOSED');
    await expectGatewayError(b, 'AT_PORT_CLOSED');
    await expectGatewayError(engine.send('AT'), 'AT_PORT_CLOSED');
    expect(closed).toEqual([null]);
    expect(script.isOpen).toBe(false);
  });

  it('rejects everything when the channel closes underneath, keeping the cause', async () => {
    const { script, engine } = setup();
    script.expect('AT+CSQ\r').reply();
    const closed: Array<Error | null> = [];
    engine.onClosed((e) => closed.push(e));
    const a = engine.send('AT+CSQ');
    const b = engine.send('AT+CGSN');
    await Promise.resolve();
    const unplug = new Error('device disconnected');
    script.disconnect(unplug);
    const err = await expectGatewayError(a, 'AT_PORT_CLOSED');
    expect(err.cause).toBe(unplug);
    await expectGatewayError(b, 'AT_PORT_CLOSED');
    expect(closed).toEqual([unplug]);
    expect(engine.isClosed).toBe(true);
  });
});
