/**
 * A naive event-driven host, the floor the bridge is compared with: for every modem under a
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

const [dir = '', pushUrl = ''] = process.argv.slice(2);
const SETUP = ['ATE0', 'AT+CMGF=0', 'AT+CNMI=2,1,0,0,0'];

function serve(path: string, smsId: number): Promise<void> {
  return new Promise((ready) => {
    const port = new SerialPort({ path, baudRate: 115_200 });
    const lines = port.pipe(new ReadlineParser({ delimiter: '\r\n' }));
    const queue: string[] = [...SETUP];
    let busy: string | null = null;
    let pdu: string | null = null;
    let readIndex = -1;
    const next = (): void => {
      if (busy !== null) return;
      const command = queue.shift();
      if (command === undefined) return;
      busy = command;
      port.write(`${command}\r`);
    };
    lines.on('data', (raw: string) => {
      const line = raw.trim();
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
        const decoded = decodePdu(pdu);
        const text = 'text' in decoded ? decoded.text : '';
        void fetch(pushUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ smsId, phoneFrom: '', phone: '', text, action: 'PUSH_SMS', key: 'naive' }),
        }).then((response) => response.arrayBuffer());
        readIndex = Number(done.slice('AT+CMGR='.length));
        queue.unshift(`AT+CMGD=${readIndex}`);
      }
      pdu = null;
      if (done === SETUP[SETUP.length - 1]) ready();
      next();
    });
    port.on('open', next);
  });
}

const paths = readdirSync(dir)
  .filter((name) => name.startsWith('modem-'))
  .sort();
await Promise.all(paths.map((name, i) => serve(join(dir, name), 1000 + i)));
console.log('naive host ready');
