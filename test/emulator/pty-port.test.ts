import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveChildCount } from '../../src/emulator/child-registry.js';
import { EmulatedModem } from '../../src/emulator/modem.js';
import { PtyModemPort } from '../../src/emulator/pty-port.js';
import { describeWith } from '../support/describe-with.js';
import { hasProgram } from '../support/programs.js';
import { VECTORS } from './helpers.js';

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115_200 }, (err) => (err ? reject(err) : resolve(port)));
  });
}

/** Collects what the host reads until `predicate` holds. */
function readUntil(
  port: SerialPort,
  predicate: (text: string) => boolean,
  timeoutMs = 3_000,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      port.off('data', onData);
      reject(new Error(`timeout; got ${JSON.stringify(received.toString('latin1'))}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (predicate(received.toString('latin1'))) {
        clearTimeout(timer);
        port.off('data', onData);
        resolve(received);
      }
    };
    port.on('data', onData);
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

/** Each relay runs the same suite where its program is installed; see test/support/programs.ts. */
const RELAYS = [
  ['socat', 'socat'],
  ['python', 'python3'],
  // No relay: the emulator holds the master, python3 only sets the pty up.
  ['direct', 'python3'],
] as const;

for (const [relayKind, program] of RELAYS)
  describeWith(program)(`PtyModemPort (real tty via ${relayKind} relay)`, () => {
    let dir: string;
    let relay: PtyModemPort | null = null;
    let modem: EmulatedModem;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'emu-pty-'));
    });

    afterEach(async () => {
      await relay?.stop();
      modem?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    async function startModem(options: ConstructorParameters<typeof EmulatedModem>[0] = {}) {
      modem = new EmulatedModem({ bootTimeScale: 0, ...options });
      relay = new PtyModemPort({ modem, linkPath: join(dir, 'modem-0'), relay: relayKind });
      await relay.start();
      return relay;
    }

    it('carries bytes raw in both directions: CR stays CR, no echo by the pty', async () => {
      const pty = await startModem();
      const port = await openPort(pty.path);
      const answer = readUntil(port, (text) => text.endsWith('OK\r\n'));
      port.write('ATE0\r');
      // The modem echoes ATE0 itself (E1 default); the pty adds nothing, translates nothing.
      expect((await answer).toString('latin1')).toBe('ATE0\r\r\nOK\r\n');
      const commands: string[] = [];
      modem.on('command', (line) => commands.push(line));
      const csq = readUntil(port, (text) => text.endsWith('OK\r\n'));
      // CR LF inside the command: the pty must not turn CR into LF (icrnl) or drop anything.
      port.write('AT+CSQ\r\n');
      expect((await csq).toString('latin1')).toBe('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
      expect(commands).toEqual(['AT+CSQ']);
      const garbage = readUntil(port, (text) => text.length >= 256);
      modem.sendGarbage(256);
      const bytes = await garbage;
      expect(bytes).toHaveLength(256);
      // Every byte value can cross (no 8th-bit stripping, no NL translation): the PRNG gives a spread.
      expect(new Set(bytes).size).toBeGreaterThan(100);
      await closePort(port);
    });

    it('delivers +CMTI and survives the host closing and reopening the port', async () => {
      const pty = await startModem();
      let port = await openPort(pty.path);
      port.write('ATE0;+CNMI=2,1,0,0,0\r');
      await readUntil(port, (text) => text.includes('OK\r\n'));
      await closePort(port);
      port = await openPort(pty.path);
      const urc = readUntil(port, (text) => /\+CMTI: .*\r\n/.test(text));
      modem.injectPdu(VECTORS.howAreYou);
      expect((await urc).toString()).toBe('\r\n+CMTI: "SM",1\r\n');
      await closePort(port);
    });

    it('unplug closes the host port with an error; replug comes back on a new path', async () => {
      const pty = await startModem({ identity: { iccid: '8970101000000000017' } });
      const firstPath = pty.path;
      const port = await openPort(firstPath);
      // A reading host (as the driver always is) notices the unplug through the failed read.
      port.write('AT\r');
      await readUntil(port, (text) => text.endsWith('OK\r\n'));
      port.on('data', () => undefined);
      const closed = new Promise<Error | null>((resolve) =>
        port.once('close', (err: Error | null) => resolve(err)),
      );
      modem.injectPdu(VECTORS.meetAt7);
      modem.unplug();
      const error = await closed;
      expect(error).toBeInstanceOf(Error);
      expect(existsSync(firstPath)).toBe(false);
      modem.replug();
      await pty.ready();
      expect(pty.path).not.toBe(firstPath);
      const again = await openPort(pty.path);
      again.write('ATE0\r');
      await readUntil(again, (text) => text.includes('OK\r\n'));
      const iccid = readUntil(again, (text) => text.includes('OK\r\n'));
      again.write('AT+CCID;+CMGL=4\r');
      const text = (await iccid).toString();
      expect(text).toContain('+CCID: 8970101000000000017');
      expect(text).toContain(VECTORS.meetAt7);
      await closePort(again);
    });

    it('paces output at the line speed: a 1000-byte answer takes about 87 ms at 115200 baud', async () => {
      const pty = await startModem({ baudRate: 115_200 });
      const port = await openPort(pty.path);
      port.write('ATE0\r');
      await readUntil(port, (text) => text.endsWith('OK\r\n'));
      // 12 stored messages: each `+CMGL: i,0,,30` line plus its 76-digit PDU is about 100 bytes.
      for (let i = 0; i < 12; i++) modem.injectPdu(VECTORS.howAreYou);
      const started = performance.now();
      const received = readUntil(port, (text) => text.length >= 1000);
      port.write('AT+CMGL=4\r');
      await received;
      const elapsedMs = performance.now() - started;
      expect(modem.wireTimeMs(1000)).toBeCloseTo(86.8, 1);
      // Physics, not performance: only a lower bound.
      expect(elapsedMs).toBeGreaterThanOrEqual(70);
      await closePort(port);
    });

    it('leaves no relay process behind after stop', async () => {
      const pty = await startModem();
      expect(liveChildCount()).toBeGreaterThan(0);
      await pty.stop();
      relay = null;
      expect(liveChildCount()).toBe(0);
    });
  });

describe('PtyModemPort without socat', () => {
  it('fails with EMU_SOCAT_MISSING when socat is required and absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-pty-'));
    const modem = new EmulatedModem({ baudRate: 0 });
    const port = new PtyModemPort({
      modem,
      linkPath: join(dir, 'm'),
      relay: 'socat',
      socatPath: '/nonexistent/socat',
    });
    await expect(port.start()).rejects.toMatchObject({ code: 'EMU_SOCAT_MISSING' });
    await port.stop();
    modem.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasProgram('python3'))('falls back to the python3 relay in auto mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-pty-'));
    const modem = new EmulatedModem({ baudRate: 0 });
    const port = new PtyModemPort({ modem, linkPath: join(dir, 'm'), socatPath: '/nonexistent/socat' });
    await port.start();
    const host = await openPort(port.path);
    const answer = readUntil(host, (text) => text.endsWith('OK\r\n'));
    host.write('AT\r');
    expect((await answer).toString()).toBe('AT\r\r\nOK\r\n');
    await closePort(host);
    await port.stop();
    modem.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
});
