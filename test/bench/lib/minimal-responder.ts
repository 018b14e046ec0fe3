/**
 * The rig's floor: the least a host can do to get an SMS from a modem to the server. For every
 * modem under a directory it sets PDU mode and `+CMTI` indications; on each `+CMTI` it sends
 * `AT+CMGR`, POSTs the raw PDU the moment the final `OK` is in (no decode, no store, no retry),
 * then deletes the message. The serial ports are opened and read exactly as the bridge does
 * (src/transport/tty-channel.ts: event-loop reads of the tty), the POST goes over a keep-alive
 * `node:http` agent as the bridge's, so whatever this host pays, the bridge pays too.
 *
 *   node --import tsx minimal-responder.ts <dir> <pushUrl>
 *
 * Prints "minimal responder ready" once every port took its set-up.
 */
import { readdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { silentLogger } from '../../../src/log.js';
import type { ByteChannel } from '../../../src/transport/byte-channel.js';
import { openTtyChannel } from '../../../src/transport/tty-channel.js';
import { readOnIndication } from './read-on-indication.js';

const [dir = '', pushUrl = ''] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const target = new URL(pushUrl);

function post(smsId: number, pdu: string): void {
  const payload = Buffer.from(JSON.stringify({ smsId, pdu }));
  const request = http.request(target, {
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/json', 'content-length': String(payload.length) },
  });
  request.on('response', (response) => response.resume());
  request.on('error', () => undefined);
  request.end(payload);
}

function serve(channel: ByteChannel, smsId: number): Promise<void> {
  return new Promise((ready) => {
    const onLine = readOnIndication({
      send: (command) => void channel.write(Buffer.from(`${command}\r`)),
      onPdu: (pdu) => post(smsId, pdu),
      onReady: ready,
    });
    let pending = '';
    channel.onData((chunk) => {
      pending += Buffer.from(chunk).toString('latin1');
      let end = pending.indexOf('\r\n');
      while (end >= 0) {
        onLine(pending.slice(0, end));
        pending = pending.slice(end + 2);
        end = pending.indexOf('\r\n');
      }
    });
  });
}

const log = silentLogger();
const paths = readdirSync(dir)
  .filter((name) => name.startsWith('modem-'))
  .sort();
const channels = await Promise.all(
  paths.map((name) => openTtyChannel({ path: join(dir, name), baudRate: 115_200, log })),
);
await Promise.all(channels.map((channel, i) => serve(channel, 1000 + i)));
console.log('minimal responder ready');
