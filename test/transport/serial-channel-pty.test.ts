import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import { silentLogger } from '../../src/log.js';
import type { ByteChannel } from '../../src/transport/byte-channel.js';
import { openSerialChannel } from '../../src/transport/serial-channel.js';
import { describeWith } from '../support/describe-with.js';

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The real platform binding over a socat pseudo-terminal pair: host end ↔ "modem" end. */
describeWith('socat')('openSerialChannel over a real pty (socat)', () => {
  let dir: string;
  let socat: ChildProcess;
  let hostPath: string;
  let modemPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'simbridge-pty-'));
    hostPath = join(dir, 'host');
    modemPath = join(dir, 'modem');
    socat = spawn('socat', [`pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${modemPath}`], {
      stdio: 'ignore',
    });
    await waitFor(() => existsSync(hostPath) && existsSync(modemPath), 5000);
  });

  afterAll(() => {
    socat.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs an AT exchange through the default binding', async () => {
    const log = silentLogger();
    const host = await openSerialChannel({ path: hostPath, baudRate: 115200, log });
    const modem: ByteChannel = await openSerialChannel({ path: modemPath, baudRate: 115200, log });
    let received = '';
    modem.onData((chunk) => {
      received += Buffer.from(chunk).toString('latin1');
      if (received.endsWith('AT+CGMI\r')) void modem.write(Buffer.from('\r\nhuawei\r\n\r\nOK\r\n'));
    });
    const engine = new AtEngine({ channel: host, log, timeouts: { defaultMs: 3000 } });
    await expect(engine.send('AT+CGMI')).resolves.toEqual({
      command: 'AT+CGMI',
      lines: ['huawei'],
      final: { kind: 'ok' },
    });
    await engine.close();
    await modem.close();
    expect(host.isOpen).toBe(false);
  });

  it('fails to open a path that does not exist with AT_PORT_OPEN_FAILED', async () => {
    await expect(
      openSerialChannel({ path: join(dir, 'missing'), baudRate: 115200, log: silentLogger() }),
    ).rejects.toMatchObject({ code: 'AT_PORT_OPEN_FAILED' });
  });

  it('reports the pty vanishing (socat killed, like a USB unplug) as a close with an error', async () => {
    const unplugDir = mkdtempSync(join(tmpdir(), 'simbridge-unplug-'));
    const a = join(unplugDir, 'a');
    const b = join(unplugDir, 'b');
    const pair = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
      stdio: 'ignore',
    });
    try {
      await waitFor(() => existsSync(a) && existsSync(b), 5000);
      const host = await openSerialChannel({ path: a, baudRate: 115200, log: silentLogger() });
      const engine = new AtEngine({ channel: host, log: silentLogger(), timeouts: { defaultMs: 5000 } });
      let closedWith: Error | null | undefined;
      engine.onClosed((error) => {
        closedWith = error;
      });
      pair.kill();
      // The binding may not notice the vanished tty until a write fails (EIO), so keep
      // talking until it does; every command must end with a typed error, never hang.
      for (let attempt = 0; attempt < 50 && closedWith === undefined; attempt++) {
        const err: unknown = await engine.send('AT', { timeoutMs: 100 }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: expect.stringMatching(/^AT_(PORT_CLOSED|WRITE_FAILED|TIMEOUT)$/) });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(closedWith).toBeInstanceOf(Error);
      expect(host.isOpen).toBe(false);
      await expect(engine.send('AT')).rejects.toMatchObject({ code: 'AT_PORT_CLOSED' });
    } finally {
      pair.kill();
      rmSync(unplugDir, { recursive: true, force: true });
    }
  });
});
