import { AtEngine } from '../../../src/at/engine.js';
import { AtTokenizer, classifyFinalResult } from '../../../src/at/framing/index.js';
import { silentLogger } from '../../../src/log.js';
import type { ByteChannel } from '../../../src/transport/byte-channel.js';
import { int, pick, type Random, randomBytes } from './mutate.js';
import type { OutcomeTally } from './outcome.js';

/**
 * Fuzz targets for the serial side: raw garbage, valid answers and URCs cut at random byte
 * boundaries, fed (1) to the AT tokenizer and the final-result classifier, which must never
 * throw, and (2) to a live `AtEngine` with commands in flight and URC handlers registered: no
 * throw may escape the data path, and every command settles with an answer or a `GatewayError`
 * carrying an AT_ code.
 */

export const AT_ERROR_CODES: ReadonlySet<string> = new Set([
  'AT_ABORTED',
  'AT_COMMAND_FAILED',
  'AT_INVALID_COMMAND',
  'AT_PORT_CLOSED',
  'AT_TIMEOUT',
  'AT_WRITE_FAILED',
]);
const NONE: ReadonlySet<string> = new Set();

const FRAGMENTS = [
  '\r\nOK\r\n',
  '\r\nERROR\r\n',
  '\r\n+CMS ERROR: 321\r\n',
  '\r\n+CME ERROR: 14\r\n',
  '\r\n+CME ERROR: SIM busy\r\n',
  '\r\n+CMTI: "SM",3\r\n',
  '\r\n+CMT: ,24\r\n07919730071111F1040B919761010000F1000062115200832200\r\n',
  '\r\n+CMGR: 0,,24\r\n07919730071111F1040B919761010000F10000621152008322000A\r\n',
  '\r\n> ',
  'AT+CMGR=1\r',
  '\r\r\n',
  '\r\n^RSSI: 17\r\n',
  '\r\nRING\r\n',
  '\r\n+CMTI: "SM",\r\n',
  '\r\nCOMMAND NOT SUPPORT\r\n',
  '\x00\x00\xff',
  '\r\n+CMT: ,999999999999\r\n',
];

/** A byte stream of garbage and fragments, and a way to cut it into chunks. */
function serialBytes(random: Random): Uint8Array {
  const parts: Uint8Array[] = [];
  const count = 1 + int(random, 8);
  for (let i = 0; i < count; i++) {
    parts.push(
      random() < 0.5 ? Buffer.from(pick(random, FRAGMENTS), 'latin1') : randomBytes(random, int(random, 48)),
    );
  }
  return Buffer.concat(parts);
}

function chunks(random: Random, bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + int(random, 24);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

const show = (bytes: Uint8Array) => () => Buffer.from(bytes).toString('hex');

/** Tokenizer and final-result classifier: never throw. */
export function tokenizerCase(random: Random, tally: OutcomeTally): void {
  const bytes = serialBytes(random);
  tally.record('at-tokenizer', NONE, show(bytes), () => {
    const tokenizer = new AtTokenizer({ maxLineBytes: 1 + int(random, 256) });
    for (const chunk of chunks(random, bytes)) {
      for (const token of tokenizer.push(chunk)) if (token.kind === 'line') classifyFinalResult(token.text);
    }
  });
}

class FuzzChannel implements ByteChannel {
  readonly name = 'fuzz';
  isOpen = true;
  readonly #data = new Set<(chunk: Uint8Array) => void>();
  readonly #close = new Set<(error: Error | null) => void>();

  write(): Promise<void> {
    return Promise.resolve();
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }
  onClose(listener: (error: Error | null) => void): () => void {
    this.#close.add(listener);
    return () => this.#close.delete(listener);
  }
  close(): Promise<void> {
    if (!this.isOpen) return Promise.resolve();
    this.isOpen = false;
    for (const listener of this.#close) listener(null);
    return Promise.resolve();
  }
  feed(chunk: Uint8Array): void {
    for (const listener of this.#data) listener(chunk);
  }
}

/** A live engine under garbage: commands in flight settle with an answer or an AT_ error. */
export async function engineCase(random: Random, tally: OutcomeTally): Promise<void> {
  const channel = new FuzzChannel();
  const engine = new AtEngine({
    channel,
    log: silentLogger(),
    timeouts: { defaultMs: 5_000, syncMs: 5_000, resyncQuietMs: 5_000, resyncMaxMs: 5_000 },
  });
  engine.addUrcHandler({ name: 'cmti', match: (line) => line.startsWith('+CMTI:'), handle: () => {} });
  engine.addUrcHandler({
    name: 'cmt',
    match: (line) => line.startsWith('+CMT:'),
    extraLines: () => 1,
    handle: () => {},
  });
  const bytes = serialBytes(random);
  const commands = [
    engine.send('AT+CMGR=1', { expect: ['+CMGR:'], multiline: true }),
    engine.send('AT', { allowError: random() < 0.5 }),
  ];
  tally.record('at-engine-data', NONE, show(bytes), () => {
    for (const chunk of chunks(random, bytes)) channel.feed(chunk);
  });
  await engine.close();
  for (const settled of await Promise.allSettled(commands)) {
    tally.cases += 1;
    if (settled.status === 'fulfilled') tally.ok += 1;
    else tally.recordError('at-engine-command', AT_ERROR_CODES, show(bytes), settled.reason);
  }
}
