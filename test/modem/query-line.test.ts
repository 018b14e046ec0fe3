import { describe, expect, it } from 'vitest';
import { combinedLine, QueryLine, splitAnswer } from '../../src/modem/query-line.js';
import { FakeModem } from './fake-commander.js';

const CPMS = { command: 'AT+CPMS?', prefix: '+CPMS:' };
const CSQ = { command: 'AT+CSQ', prefix: '+CSQ:' };
const CREG = { command: 'AT+CREG?', prefix: '+CREG:' };

describe('QueryLine', () => {
  it('sends the queries as one command line and hands each its own lines', async () => {
    const modem = new FakeModem();
    const line = new QueryLine();
    const [cpms, csq, creg] = await line.run(modem.commander(), [CPMS, CSQ, CREG]);
    expect(modem.sent).toEqual(['AT+CPMS?;+CSQ;+CREG?']);
    expect(cpms).toEqual({
      command: 'AT+CPMS?',
      lines: ['+CPMS: "SM",0,30,"SM",0,30,"SM",0,30'],
      final: { kind: 'ok' },
    });
    expect(csq?.lines).toEqual(['+CSQ: 20,99']);
    expect(creg?.lines).toEqual(['+CREG: 0,1']);
    expect(line.combines).toBe(true);
  });

  it('a modem refusing the combined line gets the queries one by one, then always', async () => {
    const modem = new FakeModem();
    const at = modem.commander();
    modem.on(/^AT\+CSQ$/, (command) =>
      modem.sent[modem.sent.length - 1] === command
        ? { lines: ['+CSQ: 20,99'] }
        : { final: { kind: 'error' } },
    );
    const line = new QueryLine();
    const [, csq] = await line.run(at, [CPMS, CSQ]);
    expect(modem.sent).toEqual(['AT+CPMS?;+CSQ', 'AT+CPMS?', 'AT+CSQ']);
    expect(csq?.lines).toEqual(['+CSQ: 20,99']);
    expect(line.combines).toBe(false);
    modem.sent.length = 0;
    await line.run(at, [CPMS, CSQ]);
    expect(modem.sent).toEqual(['AT+CPMS?', 'AT+CSQ']);
  });

  it('a query that fails on its own too explains the refusal: the modem still combines', async () => {
    const modem = new FakeModem();
    modem.on(/^AT\+CSQ$/, () => ({ final: { kind: 'cme', code: 30 } }));
    const line = new QueryLine();
    const [cpms, csq] = await line.run(modem.commander(), [CPMS, CSQ]);
    expect(modem.sent).toEqual(['AT+CPMS?;+CSQ', 'AT+CPMS?', 'AT+CSQ']);
    expect(cpms?.final).toEqual({ kind: 'ok' });
    expect(csq?.final).toEqual({ kind: 'cme', code: 30 });
    expect(line.combines).toBe(true);
  });

  it('an OK without the line a query always prints is asked again alone', async () => {
    const modem = new FakeModem();
    // A firmware that runs only the first command of a line and still says OK.
    modem.on(/^AT\+CSQ$/, (command) => (modem.sent.at(-1) === command ? { lines: ['+CSQ: 9,99'] } : {}));
    const line = new QueryLine();
    const [, csq] = await line.run(modem.commander(), [CPMS, CSQ]);
    expect(csq?.lines).toEqual(['+CSQ: 9,99']);
    expect(line.combines).toBe(false);
  });

  it('SIM busy is every query answer, and nothing is sent again', async () => {
    const modem = new FakeModem();
    modem.on(/^AT\+CPMS\?$/, () => ({ final: { kind: 'cms', code: 314 } }));
    const line = new QueryLine();
    const answers = await line.run(modem.commander(), [CPMS, CSQ]);
    expect(modem.sent).toEqual(['AT+CPMS?;+CSQ']);
    expect(answers.map((a) => a.final)).toEqual([
      { kind: 'cms', code: 314 },
      { kind: 'cms', code: 314 },
    ]);
    expect(line.combines).toBe(true);
  });

  it('one query, or a line made not to combine, is sent as it is', async () => {
    const modem = new FakeModem();
    await new QueryLine().run(modem.commander(), [CPMS]);
    await new QueryLine(false).run(modem.commander(), [CPMS, CSQ]);
    expect(modem.sent).toEqual(['AT+CPMS?', 'AT+CPMS?', 'AT+CSQ']);
  });

  it('builds and cuts the line by prefix', () => {
    expect(combinedLine([CPMS, CSQ, CREG])).toBe('AT+CPMS?;+CSQ;+CREG?');
    const answer = {
      command: 'x',
      lines: ['+CSQ: 1,99', '+CPMS: 0,30', 'stray'],
      final: { kind: 'ok' as const },
    };
    expect(splitAnswer([CPMS, CSQ], answer)?.map((r) => r.lines)).toEqual([['+CPMS: 0,30'], ['+CSQ: 1,99']]);
    expect(splitAnswer([CPMS, CSQ, CREG], answer)).toBeNull();
    expect(splitAnswer([CPMS], { ...answer, final: { kind: 'error' } })).toBeNull();
  });
});
