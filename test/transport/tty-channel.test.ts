import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import { PYTHON_PTY_RELAY } from '../../src/emulator/python-relay.js';
import { silentLogger } from '../../src/log.js';
import { openSerialChannel } from '../../src/transport/serial-channel.js';

/**
 * The default Linux channel (event-loop tty I/O) over a real pty: the python3 relay owns the
 * pty and this test plays the modem on the relay's stdin/stdout.
 */
const hasPython = spawnSync('python3', ['--version']).status === 0;
const runs = hasPython && process.platform === 'linux';
if (!runs) console.log('tty-channel tests skipped: they need Linux and python3 (apt install python3)');

interface FakeModem {
  path: string;
  relay: ChildProcess;
  /** Bytes the host wrote so far. */
  received(): string;
  send(text: string): void;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function waitFor(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function fakeModem(answer: (command: string) => string | null): Promise<FakeModem> {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-tty-'));
  const path = join(dir, 'modem');
  const relay = spawn('python3', ['-c', PYTHON_PTY_RELAY, path], { stdio: ['pipe', 'pipe', 'ignore'] });
  cleanups.push(() => {
    relay.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  let received = '';
  relay.stdout?.setEncoding('latin1');
  relay.stdout?.on('data', (chunk: string) => {
    received += chunk;
    let end = received.indexOf('\r');
    while (end >= 0) {
      const reply = answer(received.slice(0, end));
      received = received.slice(end + 1);
      if (reply !== null) relay.stdin?.write(reply);
      end = received.indexOf('\r');
    }
  });
  await waitFor(() => existsSync(path), 'pty link');
  return {
    path,
    relay,
    received: () => received,
    send: (text) => relay.stdin?.write(text),
  };
}

describe.skipIf(!runs)('the Linux tty channel (event-loop I/O)', () => {
  it('runs AT exchanges and delivers unsolicited lines', async () => {
    const modem = await fakeModem((command) => (command === 'AT+CGMI' ? '\r\nhuawei\r\n\r\nOK\r\n' : null));
    const channel = await openSerialChannel({ path: modem.path, baudRate: 115200, log: silentLogger() });
    const engine = new AtEngine({ channel, log: silentLogger(), timeouts: { defaultMs: 5_000 } });
    await expect(engine.send('AT+CGMI')).resolves.toMatchObject({ lines: ['huawei'], final: { kind: 'ok' } });
    let seen = '';
    channel.onData((chunk) => {
      seen += Buffer.from(chunk).toString('latin1');
    });
    modem.send('\r\n+CMTI: "SM",3\r\n');
    await waitFor(() => seen.includes('+CMTI: "SM",3'), '+CMTI');
    let closes = 0;
    channel.onClose(() => closes++);
    await engine.close();
    await channel.close();
    expect(channel.isOpen).toBe(false);
    expect(closes).toBe(1);
  });

  it('keeps reading and writing while every libuv pool thread is busy', async () => {
    const modem = await fakeModem((command) => (command === 'AT' ? '\r\nOK\r\n' : null));
    const channel = await openSerialChannel({ path: modem.path, baudRate: 115200, log: silentLogger() });
    const engine = new AtEngine({ channel, log: silentLogger(), timeouts: { defaultMs: 10_000 } });
    // More slow jobs than pool threads: the pool is busy until they are all done.
    let poolJobsDone = 0;
    const jobs = Array.from(
      { length: 16 },
      () =>
        new Promise<void>((resolve) =>
          pbkdf2('x', 'y', 150_000, 64, 'sha512', () => {
            poolJobsDone++;
            resolve();
          }),
        ),
    );
    await expect(engine.send('AT')).resolves.toMatchObject({ final: { kind: 'ok' } });
    // A channel reading or writing through the pool would still be waiting behind the jobs.
    expect(poolJobsDone).toBe(0);
    await Promise.all(jobs);
    await engine.close();
    await channel.close();
  });

  it('reports the other end vanishing (like a USB unplug) as a close with an error, then refuses writes', async () => {
    const modem = await fakeModem(() => null);
    const channel = await openSerialChannel({ path: modem.path, baudRate: 115200, log: silentLogger() });
    let closedWith: Error | null | undefined;
    channel.onClose((error) => {
      closedWith = error;
    });
    modem.relay.kill('SIGKILL');
    await waitFor(() => closedWith !== undefined, 'close after hang-up');
    expect(closedWith).toBeInstanceOf(Error);
    expect(channel.isOpen).toBe(false);
    await expect(channel.write(Buffer.from('AT\r'))).rejects.toMatchObject({ code: 'AT_PORT_CLOSED' });
  });

  it('writes more than the kernel takes at once in order: the rest waits in the stream', async () => {
    const modem = await fakeModem(() => null);
    const channel = await openSerialChannel({ path: modem.path, baudRate: 115200, log: silentLogger() });
    // Far more than a pty buffers: the direct write takes part, the stream the rest.
    const big = Buffer.alloc(512 * 1024);
    for (let i = 0; i < big.length; i += 1) big[i] = 65 + (i % 26);
    const first = channel.write(big);
    const second = channel.write(Buffer.from('<end>'));
    await Promise.all([first, second]);
    await waitFor(() => modem.received().length >= big.length + 5, 'every byte at the other end');
    expect(modem.received()).toBe(`${big.toString('latin1')}<end>`);
    await channel.close();
  });

  it('opens the port raw: CR, LF, XON/XOFF and high bytes pass unchanged both ways', async () => {
    const lines: string[] = [];
    const modem = await fakeModem((line) => {
      lines.push(line);
      return null;
    });
    const channel = await openSerialChannel({ path: modem.path, baudRate: 115200, log: silentLogger() });
    const bytes = '\x11\x13\r\nA\x7f\xff\x00\rZ';
    let seen = '';
    channel.onData((chunk) => {
      seen += Buffer.from(chunk).toString('latin1');
    });
    modem.relay.stdin?.write(Buffer.from(bytes, 'latin1'));
    await waitFor(() => seen.length >= bytes.length, 'bytes from the modem');
    expect(seen).toBe(bytes);
    await channel.write(Buffer.from(bytes, 'latin1'));
    await waitFor(() => modem.received() === 'Z', 'bytes at the modem');
    // The fake modem splits what it gets at each CR.
    expect(lines).toEqual(['\x11\x13', '\nA\x7f\xff\x00']);
    expect(modem.received()).toBe('Z');
    await channel.close();
  });

  it('fails to open a missing path with AT_PORT_OPEN_FAILED', async () => {
    await expect(
      openSerialChannel({
        path: join(tmpdir(), 'simbridge-no-such-tty'),
        baudRate: 115200,
        log: silentLogger(),
      }),
    ).rejects.toMatchObject({ code: 'AT_PORT_OPEN_FAILED' });
  });
});
