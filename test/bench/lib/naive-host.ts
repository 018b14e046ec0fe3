/**
 * A naive event-driven host, what a farm runs without the bridge: for every modem under a
 * directory it sets PDU mode and `+CMTI` indications, then on each `+CMTI` sends `AT+CMGR`,
 * POSTs the decoded text the moment the answer is in (no store, no durability, no retries) and
 * deletes the message. Run as its own process: `node --import tsx naive-host.ts <dir> <pushUrl>`.
 * Prints "naive host ready" once every port took its set-up.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { decodePdu } from '../../../src/sms/index.js';
import { readOnIndication } from './read-on-indication.js';

const [dir = '', pushUrl = ''] = process.argv.slice(2);

function serve(path: string, smsId: number): Promise<void> {
  return new Promise((ready) => {
    const port = new SerialPort({ path, baudRate: 115_200 });
    const lines = port.pipe(new ReadlineParser({ delimiter: '\r\n' }));
    port.on('open', () => {
      const onLine = readOnIndication({
        send: (command) => port.write(`${command}\r`),
        onPdu: (pdu) => {
          const decoded = decodePdu(pdu);
          const text = 'text' in decoded ? decoded.text : '';
          void fetch(pushUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify({ smsId, phoneFrom: '', phone: '', text, action: 'PUSH_SMS', key: 'naive' }),
          }).then((response) => response.arrayBuffer());
        },
        onReady: ready,
      });
      lines.on('data', onLine);
    });
  });
}

const paths = readdirSync(dir)
  .filter((name) => name.startsWith('modem-'))
  .sort();
await Promise.all(paths.map((name, i) => serve(join(dir, name), 1000 + i)));
console.log('naive host ready');
