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

const [dir = '', pushUrl = ''] = process.argv.slice(2);
const SETUP = ['ATE0', 'AT+CMGF=0', 'AT+CNMI=2,1,0,0,0'];
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
    const queue = [...SETUP];
    let busy: string | null = null;
    let pdu: string | null = null;
    let pending = '';
    const next = (): void => {
      if (busy !== null) return;
      const command = queue.shift();
      if (command === undefined) return;
      busy = command;
      void channel.write(Buffer.from(`${command}\r`));
    };
    const onLine = (line: string): void => {
      if (line === '') return;
      const cmti = /^\+CMTI: "?\w+"?,(\d+)/.exec(line);
      if (cmti) {
        queue.push(`AT+CMGR=${cmti[1]}`);
        next();
        return;
      }
      if (busy?.startsWith('AT+CMGR') && /^[0-9A-F]+$/.test(line)) pdu = line;
      if (line !== 'OK' && !line.includes('ERROR')) return;
      const done = busy;
      busy = null;
      if (done?.startsWith('AT+CMGR') && pdu !== null) {
        post(smsId, pdu);
        queue.unshift(`AT+CMGD=${done.slice('AT+CMGR='.length)}`);
      }
      pdu = null;
      if (done === SETUP[SETUP.length - 1]) ready();
      next();
    };
    channel.onData((chunk) => {
      pending += Buffer.from(chunk).toString('latin1');
      let end = pending.indexOf('\r\n');
      while (end >= 0) {
        onLine(pending.slice(0, end).trim());
        pending = pending.slice(end + 2);
        end = pending.indexOf('\r\n');
      }
    });
    next();
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
