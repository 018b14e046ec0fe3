import { describe, expect, it } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import { AtTokenizer, tokenize } from '../../src/at/framing/tokenizer.js';
import type { AtResponse, UrcHandler } from '../../src/at/types.js';
import { silentLogger } from '../../src/log.js';
import { ScriptChannel } from './script-channel.js';
import { loadTranscripts, modemBytes, scriptFrom, type Transcript } from './transcript.js';

/** `AT+CPMS=…` → `['+CPMS:']`, `AT^CURC=0` → `['^CURC:']`. */
function expectedPrefixes(command: string): string[] {
  const match = /^AT([+^][A-Z]+)/i.exec(command);
  return match?.[1] ? [`${match[1].toUpperCase()}:`] : [];
}

interface Replay {
  responses: Array<Pick<AtResponse, 'command' | 'lines' | 'final'>>;
  urcs: string[][];
  unhandled: string[];
}

async function replay(transcript: Transcript, chunkSize: number): Promise<Replay> {
  const script = new ScriptChannel();
  script.chunkSize = chunkSize;
  const engine = new AtEngine({ channel: script, log: silentLogger() });
  const result: Replay = { responses: [], urcs: [], unhandled: [] };
  const urc = (name: string, pattern: RegExp, extra = 0): UrcHandler => ({
    name,
    match: (line) => pattern.test(line),
    extraLines: () => extra,
    handle: (lines) => result.urcs.push([...lines]),
  });
  engine.addUrcHandler(urc('cmti', /^\+CMTI:/));
  engine.addUrcHandler(urc('cmt', /^\+CMT:/, 1));
  engine.addUrcHandler(urc('rssi', /^\^RSSI:/));
  engine.addUrcHandler(urc('boot', /^\^BOOT:/));
  engine.addUrcHandler(urc('undervoltage', /^UNDER-VOLTAGE/));
  engine.onUnhandledLine((line) => result.unhandled.push(line));
  for (const raw of scriptFrom(transcript, script)) script.emitRaw(raw);
  for (const [index, step] of transcript.steps.entries()) {
    if (step.command === null) continue;
    const next = transcript.steps[index + 1];
    const promptBody = next?.command === null && next.body !== null ? next.body : undefined;
    const { command, lines, final } = await engine.send(step.command, {
      expect: expectedPrefixes(step.command),
      allowError: true,
      timeoutMs: 1000,
      ...(promptBody === undefined ? {} : { promptBody }),
    });
    result.responses.push({ command, lines, final });
  }
  script.assertDone();
  await engine.close();
  return result;
}

const EXPECTED: Record<string, Replay> = {
  'huawei-e3372/init-and-list.at': {
    responses: [
      { command: 'ATE0', lines: [], final: { kind: 'ok' } },
      { command: 'AT+CMEE=1', lines: [], final: { kind: 'ok' } },
      { command: 'AT^CURC=0', lines: [], final: { kind: 'ok' } },
      { command: 'AT+CLAC', lines: [], final: { kind: 'vendor-error', text: 'COMMAND NOT SUPPORT' } },
      { command: 'AT+CPMS="SM","SM","SM"', lines: ['+CPMS: 2,50,2,50,2,50'], final: { kind: 'ok' } },
      {
        command: 'AT+CMGL=4',
        lines: [
          '+CMGL: 0,1,,30',
          '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07',
          '+CMGL: 1,1,,28',
          '07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37',
        ],
        final: { kind: 'ok' },
      },
      { command: 'AT+CMGD=0', lines: [], final: { kind: 'ok' } },
    ],
    urcs: [
      ['^BOOT:20436451,0,0,0,72'],
      ['^RSSI:17'],
      ['^RSSI:18'],
      ['+CMTI: "SM",2'],
      ['^RSSI:18'],
      ['+CMT: ,30', '06917138802617840C914477000910320000120151105593000CCD72990E0AD3413778FB07'],
    ],
    unhandled: [],
  },
  'simcom-sim800/boot-and-send.at': {
    responses: [
      { command: 'AT+CPMS="SM","SM","SM"', lines: [], final: { kind: 'cms', code: 314 } },
      { command: 'AT+CPMS="SM","SM","SM"', lines: ['+CPMS: 0,30,0,30,0,30'], final: { kind: 'ok' } },
      { command: 'AT+CMGS=19', lines: ['+CMGS: 7'], final: { kind: 'ok' } },
      { command: 'AT+CSQ', lines: ['+CSQ: 99,99'], final: { kind: 'ok' } },
    ],
    urcs: [['UNDER-VOLTAGE WARNNING']],
    unhandled: ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready'],
  },
};

const transcripts = loadTranscripts();

describe('recorded transcripts', () => {
  it('has an expectation for every fixture', () => {
    expect(transcripts.map((t) => t.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const transcript of transcripts) {
    it(`${transcript.name}: replays strictly, whole and byte by byte`, async () => {
      const expected = EXPECTED[transcript.name];
      expect(await replay(transcript, Number.POSITIVE_INFINITY)).toEqual(expected);
      expect(await replay(transcript, 1)).toEqual(expected);
      expect(await replay(transcript, 5)).toEqual(expected);
    });

    it(`${transcript.name}: tokens do not depend on where the stream is cut`, () => {
      const bytes = modemBytes(transcript);
      const whole = tokenize(bytes);
      expect(whole.length).toBeGreaterThan(5);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const tokenizer = new AtTokenizer();
        const split = [...tokenizer.push(bytes.subarray(0, cut)), ...tokenizer.push(bytes.subarray(cut))];
        expect(split).toEqual(whole);
      }
    });
  }
});
