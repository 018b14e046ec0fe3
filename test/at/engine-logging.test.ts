import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import { ScriptChannel } from './script-channel.js';

/** Log lines of one engine at `level`, parsed. */
async function logsOfOneCommand(level: string): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const script = new ScriptChannel();
  const engine = new AtEngine({ channel: script, log, timeouts: { defaultMs: 1_000 } });
  script.expect('AT+CSQ\r').reply('+CSQ: 17,99', 'OK');
  await engine.send('AT+CSQ');
  await engine.close();
  return lines;
}

describe('AtEngine: logging per command', () => {
  it('at trace, every write and line read; at debug, each command done', async () => {
    const trace = await logsOfOneCommand('trace');
    expect(trace).toContainEqual(expect.objectContaining({ dir: '>', data: 'AT+CSQ' }));
    expect(trace).toContainEqual(expect.objectContaining({ dir: '<', line: '+CSQ: 17,99' }));
    expect(trace).toContainEqual(expect.objectContaining({ msg: 'AT command done', command: 'AT+CSQ' }));
    const debug = await logsOfOneCommand('debug');
    expect(debug.filter((l) => l.dir !== undefined)).toEqual([]);
    expect(debug).toContainEqual(expect.objectContaining({ msg: 'AT command done', outcome: 'ok' }));
  });

  it('at info, a command logs nothing', async () => {
    expect(await logsOfOneCommand('info')).toEqual([]);
  });
});
