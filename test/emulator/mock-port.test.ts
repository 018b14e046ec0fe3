import type { SerialPortStream } from '@serialport/stream';
import { describe, expect, it } from 'vitest';
import { createMockModemPort } from '../../src/emulator/mock-port.js';
import { VECTORS } from './helpers.js';

function readUntil(port: SerialPortStream, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (pattern.test(text)) {
        port.off('data', onData);
        resolve(text);
      }
    };
    port.on('data', onData);
  });
}

describe('createMockModemPort (in-process serialport)', () => {
  it('answers commands and delivers +CMTI through a SerialPortStream', async () => {
    const mock = createMockModemPort({ modem: { baudRate: 0 } });
    const port = await mock.open();
    const answer = readUntil(port, /OK\r\n$/);
    port.write('ATE0;+CNMI=2,1,0,0,0\r');
    expect(await answer).toBe('ATE0;+CNMI=2,1,0,0,0\r\r\nOK\r\n');
    const urc = readUntil(port, /\+CMTI: "SM",1\r\n/);
    mock.modem.injectPdu(VECTORS.howAreYou);
    expect(await urc).toBe('\r\n+CMTI: "SM",1\r\n');
    const read = readUntil(port, /OK\r\n$/);
    port.write('AT+CMGR=1\r');
    expect(await read).toBe(`\r\n+CMGR: 0,,30\r\n${VECTORS.howAreYou}\r\n\r\nOK\r\n`);
    port.close();
    mock.dispose();
  });

  it('closes the host port with a disconnect error on unplug and reopens on a new path after replug', async () => {
    const mock = createMockModemPort({ modem: { baudRate: 0 } });
    const port = await mock.open();
    port.on('data', () => undefined);
    const closed = new Promise<Error | null>((resolve) => port.once('close', resolve));
    const firstPath = mock.path;
    mock.modem.unplug();
    expect(await closed).toMatchObject({ disconnected: true });
    mock.modem.replug();
    expect(mock.path).not.toBe(firstPath);
    const again = await mock.open();
    const answer = readUntil(again, /OK\r\n$/);
    again.write('AT\r');
    expect(await answer).toContain('OK');
    again.close();
    mock.dispose();
  });
});
