import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import { isGatewayError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import type { ByteChannel } from '../../src/transport/byte-channel.js';
import { openSerialChannel, type SerialBinding } from '../../src/transport/serial-channel.js';

// `@serialport/binding-mock` has no `types` export condition; its binding (the same
// MockBinding) and types are reached through `serialport`'s re-export.
const MockBinding = SerialPortMock.binding;
type MockPortBinding = Awaited<ReturnType<typeof MockBinding.open>>;

const PATH = '/dev/gsm/slot01-at';

/** MockBinding, remembering the port it opened so a test can play the modem. */
function capturingBinding(): { binding: SerialBinding; port(): MockPortBinding } {
  let opened: MockPortBinding | undefined;
  const binding: SerialBinding = {
    list: () => MockBinding.list(),
    open: async (options) => {
      opened = await MockBinding.open(options);
      return opened;
    },
  };
  return {
    binding,
    port: () => {
      if (opened === undefined) throw new Error('port not opened');
      return opened;
    },
  };
}

/** A recording mock port at PATH, and a channel opened on it through {@link capturingBinding}. */
async function openRecordedPort(): Promise<{
  channel: ByteChannel;
  mock: ReturnType<typeof capturingBinding>;
}> {
  MockBinding.createPort(PATH, { echo: false, record: true });
  const mock = capturingBinding();
  const channel = await openSerialChannel({
    path: PATH,
    baudRate: 115200,
    binding: mock.binding,
    log: silentLogger(),
  });
  return { channel, mock };
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => MockBinding.reset());

describe('openSerialChannel over MockBinding', () => {
  it('writes bytes (resolving after drain) and delivers received bytes', async () => {
    const { channel, mock } = await openRecordedPort();
    expect(channel.isOpen).toBe(true);
    expect(channel.name).toBe(PATH);
    const received: string[] = [];
    channel.onData((chunk) => received.push(Buffer.from(chunk).toString('latin1')));
    await channel.write(Buffer.from('AT\r'));
    expect(mock.port().recording.toString('latin1')).toBe('AT\r');
    mock.port().emitData('\r\nOK\r\n');
    await nextTick();
    await nextTick();
    expect(received.join('')).toBe('\r\nOK\r\n');
    await channel.close();
    expect(channel.isOpen).toBe(false);
  });

  it('carries an AT engine end to end', async () => {
    const { channel, mock } = await openRecordedPort();
    const engine = new AtEngine({ channel, log: silentLogger() });
    const pending = engine.send('AT+CSQ', { expect: ['+CSQ:'] });
    while (mock.port().recording.length === 0) await nextTick();
    expect(mock.port().recording.toString('latin1')).toBe('AT+CSQ\r');
    mock.port().emitData('\r\n+CSQ: 21,99\r\n\r\nOK\r\n');
    await expect(pending).resolves.toMatchObject({ lines: ['+CSQ: 21,99'], final: { kind: 'ok' } });
    await engine.close();
    expect(channel.isOpen).toBe(false);
  });

  it('fails to open a missing port with AT_PORT_OPEN_FAILED', async () => {
    const err: unknown = await openSerialChannel({
      path: '/dev/does-not-exist',
      baudRate: 115200,
      binding: MockBinding,
      log: silentLogger(),
    }).catch((e: unknown) => e);
    expect(isGatewayError(err) && err.code).toBe('AT_PORT_OPEN_FAILED');
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('reports an unplug to onClose listeners with the disconnect error, and refuses writes', async () => {
    const { channel, mock } = await openRecordedPort();
    const closed = new Promise<Error | null>((resolve) => channel.onClose(resolve));
    channel.onData(() => {});
    await nextTick();
    // The stream's pending read fails the way bindings-cpp fails when the tty disappears.
    const pendingRead: unknown = Reflect.get(mock.port(), 'pendingRead');
    expect(typeof pendingRead).toBe('function');
    (pendingRead as (err: Error) => void)(new Error('Input/output error'));
    const error = await closed;
    expect(error).toBeInstanceOf(Error);
    expect(Reflect.get(error ?? {}, 'disconnected')).toBe(true);
    expect(channel.isOpen).toBe(false);
    const writeErr: unknown = await channel.write(Buffer.from('AT\r')).catch((e: unknown) => e);
    expect(isGatewayError(writeErr) && writeErr.code).toBe('AT_PORT_CLOSED');
  });

  it('close() is idempotent and notifies once', async () => {
    MockBinding.createPort(PATH, { echo: false });
    const channel = await openSerialChannel({
      path: PATH,
      baudRate: 9600,
      binding: MockBinding,
      log: silentLogger(),
    });
    const events: Array<Error | null> = [];
    channel.onClose((e) => events.push(e));
    await channel.close();
    await channel.close();
    expect(events).toEqual([null]);
  });

  it('closes itself with the error when a write fails (a tty that cannot be written is gone)', async () => {
    const { channel, mock } = await openRecordedPort();
    const closed = new Promise<Error | null>((resolve) => channel.onClose(resolve));
    mock.port().write = () => Promise.reject(new Error('EIO: i/o error, write'));
    const err: unknown = await channel.write(Buffer.from('AT\r')).catch((e: unknown) => e);
    expect(isGatewayError(err) && err.code).toBe('AT_WRITE_FAILED');
    expect((await closed)?.message).toContain('EIO');
    expect(channel.isOpen).toBe(false);
  });
});
