import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DECODE_COMMAND_LIMITS, runDecodeCommand } from '../../src/cli/decode-command.js';
import type { CliIo } from '../../src/cli/io.js';

// From test/fixtures/sms-deliver.jsonl (p-gsm7-001, gammu-checked) and its TPDU without SMSC.
const HELLO = '06917138802617840C914477000910320000120151105593000CCD72990E0AD3413778FB07';
const HELLO_TPDU = HELLO.slice(14);
const HELLO_JSON = {
  sender: '+447700900123',
  senderType: 'international',
  text: 'Meet at 7pm?',
  encoding: 'gsm7',
  timestamp: '2021-10-15T01:55:39+00:00',
  smsc: '+1783086271',
  concat: null,
  class: null,
};
// p-ucs2-004 (gammu-checked): UCS-2 with a surrogate pair.
const PARTY =
  '07918350384159F8040DD0DA303BEC26BF0100081270500243602914005000610072007400790020D83CDF82D83EDD73';
// SMS-STATUS-REPORT built from TS 23.040 §9.2.2.3: MTI 2, MR 0x2A, RA +79161234567, SCTS, DT, ST 0.
const STATUS_REPORT = ['00', '06', '2A', '0B919761214365F7', '62114221000021', '62114221000021', '00'].join(
  '',
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  lines: unknown[];
}

function collect(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(argv: string[], stdinText: string | Readable = ''): Promise<Run> {
  const out = collect();
  const err = collect();
  const stdin = typeof stdinText === 'string' ? Readable.from([Buffer.from(stdinText)]) : stdinText;
  const io: CliIo = { stdin, stdout: out.stream, stderr: err.stream, env: {} };
  const code = await runDecodeCommand(argv, io);
  const stdout = out.text();
  const lines = stdout.startsWith('Usage')
    ? []
    : stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as unknown);
  return { code, stdout, stderr: err.text(), lines };
}

describe('simbridge decode', () => {
  it('decodes PDUs given as arguments, one JSON line each, in order, exit 0', async () => {
    const result = await run([HELLO, PARTY]);
    expect(result.code).toBe(0);
    expect(result.lines).toHaveLength(2);
    expect(result.lines[0]).toEqual(HELLO_JSON);
    expect(result.lines[1]).toMatchObject({ sender: 'Zalando', text: 'Party 🎂🥳', encoding: 'ucs2' });
    expect(result.stdout.split('\n')[0]).toBe(JSON.stringify(HELLO_JSON));
    expect(result.stderr).toBe('');
  });

  it('reads stdin line by line when no PDU is given: CRLF, blanks, spaces, lowercase', async () => {
    const result = await run([], `\r\n  ${HELLO.toLowerCase()}  \r\n\n\t${PARTY}\r\n`);
    expect(result.code).toBe(0);
    expect(result.lines).toHaveLength(2);
    expect(result.lines[0]).toEqual(HELLO_JSON);
    expect(result.lines[1]).toMatchObject({ text: 'Party 🎂🥳' });
  });

  it('reads the last stdin line without a newline, and lines split across chunks', async () => {
    const half = Math.floor(HELLO.length / 2);
    const stdin = Readable.from([
      Buffer.from(`${HELLO.slice(0, half)}`),
      Buffer.from(`${HELLO.slice(half)}\n${PARTY}`),
    ]);
    const result = await run([], stdin);
    expect(result.lines).toHaveLength(2);
    expect(result.code).toBe(0);
  });

  it('treats "-" as stdin, in place among the arguments', async () => {
    const result = await run([PARTY, '-', HELLO], `${HELLO}\n`);
    expect(result.lines.map((l) => (l as { sender: string }).sender)).toEqual([
      'Zalando',
      '+447700900123',
      '+447700900123',
    ]);
  });

  it('--no-smsc reads PDUs that start with the TPDU', async () => {
    const result = await run(['--no-smsc', HELLO_TPDU]);
    expect(result.code).toBe(0);
    expect(result.lines[0]).toEqual({ ...HELLO_JSON, smsc: null });
  });

  it('prints an error line for a bad input, keeps going, and exits 3', async () => {
    const result = await run([], `${HELLO}\nnot-hex\n${HELLO.slice(0, 30)}\n${PARTY}\n`);
    expect(result.code).toBe(3);
    expect(result.lines).toHaveLength(4);
    expect(result.lines[0]).toEqual(HELLO_JSON);
    expect(result.lines[1]).toEqual({
      error: expect.stringContaining('[SMS_PDU_INVALID_HEX]'),
      input: 'not-hex',
    });
    expect(result.lines[2]).toEqual({
      error: expect.stringContaining('[SMS_PDU_TRUNCATED]'),
      input: HELLO.slice(0, 30),
    });
    expect(Object.keys(result.lines[1] as object)).toEqual(['error', 'input']);
    expect(result.lines[3]).toMatchObject({ text: 'Party 🎂🥳' });
  });

  it('reports a status report as not an SMS-DELIVER, exit 3', async () => {
    const result = await run([STATUS_REPORT]);
    expect(result.code).toBe(3);
    expect(result.lines[0]).toEqual({
      error: expect.stringContaining('[SMS_PDU_NOT_DELIVER]'),
      input: STATUS_REPORT,
    });
  });

  it('reports an over-long line without holding it, then goes on', async () => {
    const long = 'A'.repeat(DECODE_COMMAND_LIMITS.maxLineChars * 3);
    const stdin = Readable.from([
      Buffer.from(long.slice(0, 5000)),
      Buffer.from(`${long.slice(5000)}\n${HELLO}\n`),
    ]);
    const result = await run([], stdin);
    expect(result.code).toBe(3);
    expect(result.lines[0]).toEqual({
      error: expect.stringContaining('[CLI_LINE_TOO_LONG]'),
      input: `${'A'.repeat(DECODE_COMMAND_LIMITS.echoedPrefixChars)}…`,
    });
    expect(result.lines[1]).toEqual(HELLO_JSON);
  });

  it('survives binary garbage on stdin', async () => {
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0xc3, 0x28, 0x0d, 0x0a, 0x80]);
    const result = await run([], Readable.from([garbage]));
    expect(result.code).toBe(3);
    expect(result.lines.length).toBeGreaterThan(0);
    for (const line of result.lines) expect(line).toHaveProperty('error');
  });

  it('exits 0 with no output for empty stdin', async () => {
    const result = await run([], '');
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('rejects an unknown option with usage on stderr and exit 2', async () => {
    const result = await run(['--bogus', HELLO]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown option "--bogus"');
    expect(result.stderr).toContain('Usage: simbridge decode');
  });

  it('prints usage for --help and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: simbridge decode [--smsc|--no-smsc] [PDU ...]');
  });

  it('treats arguments after -- as PDUs', async () => {
    const result = await run(['--', '-x']);
    expect(result.code).toBe(3);
    expect(result.lines[0]).toMatchObject({ input: '-x' });
  });

  it('waits for stdout to drain instead of buffering a whole corpus', async () => {
    const count = 2000;
    const stdin = Readable.from([Buffer.from(`${HELLO}\n`.repeat(count))]);
    const stdout = new PassThrough({ highWaterMark: 256 });
    let lines = 0;
    let maxBuffered = 0;
    stdout.on('data', (chunk: Buffer) => {
      lines += chunk.toString().split('\n').length - 1;
      maxBuffered = Math.max(maxBuffered, stdout.writableLength);
    });
    const code = await runDecodeCommand([], { stdin, stdout, stderr: collect().stream, env: {} });
    expect(code).toBe(0);
    expect(lines).toBe(count);
    expect(maxBuffered).toBeLessThan(64 * 1024);
  });

  it('stops with exit 1 and a message when stdout fails, instead of crashing', async () => {
    const stdout = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write ECONNRESET'), { code: 'ECONNRESET' }));
      },
    });
    const err = collect();
    const stdin = Readable.from([Buffer.from(`${HELLO}\n`.repeat(50))]);
    const code = await runDecodeCommand([], { stdin, stdout, stderr: err.stream, env: {} });
    expect(code).toBe(1);
    expect(err.text()).toContain('ECONNRESET');
  });

  it('exits 1 without a message when the reader closes the pipe (EPIPE)', async () => {
    const stdout = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const err = collect();
    const code = await runDecodeCommand([HELLO, HELLO], {
      stdin: Readable.from([]),
      stdout,
      stderr: err.stream,
      env: {},
    });
    expect(code).toBe(1);
    expect(err.text()).toBe('');
  });
});

describe('simbridge decode with a PDU pasted with spaces', () => {
  const spaced = (pdu: string) => pdu.match(/.{1,2}/g)?.join(' ') ?? pdu;

  it('reads one quoted argument with spaces, tabs or line breaks inside as one PDU', async () => {
    const result = await run([spaced(HELLO), `${HELLO.slice(0, 10)}\n\t${HELLO.slice(10)}`]);
    expect(result.code).toBe(0);
    expect(result.lines).toEqual([HELLO_JSON, HELLO_JSON]);
  });

  it('reads a stdin line with spaces inside as one PDU', async () => {
    const result = await run([], `${spaced(HELLO)}\n${spaced(PARTY)}\n`);
    expect(result.code).toBe(0);
    expect(result.lines).toHaveLength(2);
    expect(result.lines[0]).toEqual(HELLO_JSON);
  });

  it('joins unquoted octet groups (arguments of at most 8 hex digits) into one PDU', async () => {
    const groups = spaced(HELLO).split(' ');
    const result = await run([...groups, PARTY]);
    expect(result.code).toBe(0);
    expect(result.lines).toHaveLength(2);
    expect(result.lines[0]).toEqual(HELLO_JSON);
    expect(result.lines[1]).toMatchObject({ text: 'Party 🎂🥳' });
  });
});
