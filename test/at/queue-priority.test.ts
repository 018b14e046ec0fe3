import { describe, expect, it } from 'vitest';
import { AtEngine } from '../../src/at/engine.js';
import { CommandQueue } from '../../src/at/queue.js';
import { silentLogger } from '../../src/log.js';
import { ScriptChannel } from './script-channel.js';

describe('CommandQueue priorities', () => {
  it('hands out every foreground item before any background one, each class in arrival order', () => {
    const queue = new CommandQueue<string>((item) => item.startsWith('bg'));
    for (const item of ['bg1', 'fg1', 'bg2', 'fg2']) queue.push(item);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([
      'fg1',
      'fg2',
      'bg1',
      'bg2',
      undefined,
    ]);
  });

  it('is plain FIFO without a background test', () => {
    const queue = new CommandQueue<number>();
    queue.push(2);
    queue.push(1);
    expect([queue.shift(), queue.shift()]).toEqual([2, 1]);
  });
});

describe('AtEngine: background commands', () => {
  it('writes a queued SMS read before a USSD request queued earlier', async () => {
    const script = new ScriptChannel();
    const engine = new AtEngine({ channel: script, log: silentLogger(), timeouts: { defaultMs: 1000 } });
    script.expect('AT+CSQ\r').reply('+CSQ: 17,99', 'OK');
    script.expect('AT+CMGR=3\r').reply('OK');
    script.expect('AT+CUSD=1,"*100#",15\r').reply('OK');
    // The first command is in flight; the other two wait, the USSD one queued first.
    const busy = engine.send('AT+CSQ');
    const ussd = engine.send('AT+CUSD=1,"*100#",15', { priority: 'background' });
    const read = engine.send('AT+CMGR=3');
    await Promise.all([busy, ussd, read]);
    expect(script.writes).toEqual(['AT+CSQ\r', 'AT+CMGR=3\r', 'AT+CUSD=1,"*100#",15\r']);
    script.assertDone();
  });
});
