import { describe, expect, it } from 'vitest';
import { type AtToken, AtTokenizer, tokenize } from '../../../src/at/framing/tokenizer.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const lines = (...texts: string[]): AtToken[] => texts.map((text) => ({ kind: 'line', text }));
/** `''` stands for an empty line (a `blank` token). */
const withBlanks = (...texts: string[]): AtToken[] =>
  texts.map((text) => (text === '' ? { kind: 'blank' } : { kind: 'line', text }));

describe('AtTokenizer', () => {
  const table: Array<[name: string, input: string, expected: AtToken[]]> = [
    ['CRLF lines, empty lines dropped', '\r\nOK\r\n', lines('OK')],
    ['Huawei CR CR LF', '\r\n^RSSI:17\r\r\n\r\nOK\r\r\n', lines('^RSSI:17', 'OK')],
    ['lone LF', '+CSQ: 1,99\nOK\n', lines('+CSQ: 1,99', 'OK')],
    ['lone CR', 'AT+CSQ\r+CSQ: 1,99\rOK\r', lines('AT+CSQ', '+CSQ: 1,99', 'OK')],
    ['LF CR order', 'RDY\n\rOK\n\r', lines('RDY', 'OK')],
    ['no line end yet', '+CMGL: 0,1,,24', []],
    ['prompt after CRLF', '\r\n> ', [{ kind: 'prompt' }]],
    ['prompt then echoed body', '\r\n> 0011\x1a\r\n', [{ kind: 'prompt' }, ...lines('0011\x1a')]],
    ['">" alone is not a prompt', '\r\n>', []],
    ['">x" is a line', '>x\r\n', lines('>x')],
    ['NULs dropped', '\x00\x00R\x00DY\r\n', lines('RDY')],
    ['garbage kept as latin1', '\xff\xfe\x80\r\n', lines('\xff\xfe\x80')],
    ['blank-only line kept (not empty)', ' \r\n', lines(' ')],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => {
      expect(tokenize(bytes(input))).toEqual(expected);
    });
  }

  it('never throws on invalid UTF-8 and round-trips the bytes through latin1', () => {
    const raw = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x0d, 0x0a]);
    const [token] = tokenize(raw);
    expect(token?.kind).toBe('line');
    expect(Buffer.from(token?.kind === 'line' ? token.text : '', 'latin1')).toEqual(raw.subarray(0, 7));
  });

  it('drops an over-long line up to the next line end and counts it, memory stays bounded', () => {
    const tokenizer = new AtTokenizer({ maxLineBytes: 16 });
    const garbage = bytes('x'.repeat(1000));
    expect(tokenizer.push(garbage)).toEqual([]);
    expect(tokenizer.pendingBytes).toBeLessThanOrEqual(16);
    expect(tokenizer.push(bytes('tail\r\nOK\r\n'))).toEqual(lines('OK'));
    expect(tokenizer.overflowedLines).toBe(1);
  });

  it('keeps a line of exactly maxLineBytes', () => {
    const tokenizer = new AtTokenizer({ maxLineBytes: 4 });
    expect(tokenizer.push(bytes('ABCD\r\n'))).toEqual(lines('ABCD'));
    expect(tokenizer.overflowedLines).toBe(0);
  });

  it('keeps lines longer than its first buffer, whole and in order, up to maxLineBytes', () => {
    const tokenizer = new AtTokenizer({ maxLineBytes: 5_000 });
    const long = Array.from({ length: 5_000 }, (_, i) => String.fromCharCode(0x41 + (i % 26))).join('');
    // Fed in uneven chunks, so the buffer grows in the middle of a chunk as well as at its end.
    const stream = bytes(`${long}\r\nOK\r\n${long}x\r\nAFTER\r\n`);
    const tokens = [];
    for (let at = 0; at < stream.length; at += 777)
      tokens.push(...tokenizer.push(stream.subarray(at, at + 777)));
    expect(tokens).toEqual(lines(long, 'OK', 'AFTER'));
    expect(tokenizer.overflowedLines).toBe(1);
  });

  it('counts dropped NUL bytes and forgets a partial line on reset', () => {
    const tokenizer = new AtTokenizer();
    tokenizer.push(bytes('\x00\x00+CM'));
    expect(tokenizer.droppedNulBytes).toBe(2);
    tokenizer.reset();
    expect(tokenizer.push(bytes('OK\r\n'))).toEqual(lines('OK'));
  });

  it('gives the same tokens however a stream is split (every boundary, and byte by byte)', () => {
    const stream = bytes(
      '\x00RDY\r\n+CFUN: 1\r\r\nAT+CMGS=18\r\r\n> 0011\x1a\r\n+CMGS: 7\r\n\r\nOK\r\n^RSSI:5\n\r+CMTI: "SM",3\r',
    );
    const whole = tokenize(stream);
    for (let cut = 0; cut <= stream.length; cut++) {
      const tokenizer = new AtTokenizer();
      const split = [...tokenizer.push(stream.subarray(0, cut)), ...tokenizer.push(stream.subarray(cut))];
      expect(split, `cut at ${cut}`).toEqual(whole);
    }
    const byteWise = new AtTokenizer();
    expect([...stream].flatMap((b) => byteWise.push(Uint8Array.of(b)))).toEqual(whole);
  });

  describe('with blankLines', () => {
    const table: Array<[name: string, input: string, expected: AtToken[]]> = [
      [
        'an empty line inside a +CUSD text',
        '\r\n+CUSD: 0,"Balance:\r\n\r\n12.50 RUB",15\r\n',
        withBlanks('+CUSD: 0,"Balance:', '', '12.50 RUB",15'),
      ],
      ['one per empty line', 'A\r\n\r\n\r\nB\r\n', withBlanks('A', '', '', 'B')],
      ['Huawei CR CR LF', 'A\r\r\n\r\r\nB\r\r\n', withBlanks('A', '', 'B')],
      ['lone LF', 'A\n\nB\n', withBlanks('A', '', 'B')],
      ['LF CR order', 'A\n\r\n\rB\n\r', withBlanks('A', '', 'B')],
      ['none for single line ends of any style', 'A\r\nB\r\r\nC\n\rD\nE\rF\r', lines(...'ABCDEF')],
      ['none for the framing before the first line', '\r\nOK\r\n', lines('OK')],
      ['none between a prompt and what follows', '\r\n> \r\nOK\r\n', [{ kind: 'prompt' }, ...lines('OK')]],
    ];
    for (const [name, input, expected] of table) {
      it(name, () => {
        expect(tokenize(bytes(input), { blankLines: true })).toEqual(expected);
      });
    }

    it('gives the same blanks however the stream is split', () => {
      const stream = bytes('\r\n+CUSD: 0,"A\r\n\r\nB\r\r\n\r\r\nC\n\nD",15\r\n\r\nOK\r\n');
      const whole = tokenize(stream, { blankLines: true });
      expect(whole.filter((token) => token.kind === 'blank')).toHaveLength(4);
      for (let cut = 0; cut <= stream.length; cut++) {
        const tokenizer = new AtTokenizer({ blankLines: true });
        const split = [...tokenizer.push(stream.subarray(0, cut)), ...tokenizer.push(stream.subarray(cut))];
        expect(split, `cut at ${cut}`).toEqual(whole);
      }
    });

    it('are off by default: empty lines are dropped', () => {
      expect(tokenize(bytes('A\r\n\r\nB\r\n'))).toEqual(lines('A', 'B'));
    });
  });
});
