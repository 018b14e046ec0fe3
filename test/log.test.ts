import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

function capture(level: string) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ level, destination }), lines };
}

describe('createLogger', () => {
  it('never writes the API key, wherever it sits', () => {
    const { log, lines } = capture('trace');
    log.info({ config: { onlinesim: { apiKey: 'sekret-123' } } }, 'config loaded');
    log.info({ body: { key: 'sekret-123', smsId: 5 } }, 'push');
    log.info({ req: { headers: { authorization: 'Bearer sekret-123' } } }, 'incoming');
    expect(lines.join('')).not.toContain('sekret-123');
    expect(lines.join('')).toContain('"smsId":5');
  });

  it('redacts message text at info but shows it at debug', () => {
    const info = capture('info');
    info.log.info({ text: 'code 800142' }, 'sms');
    expect(info.lines.join('')).not.toContain('800142');
    const debug = capture('debug');
    debug.log.debug({ text: 'code 800142' }, 'sms');
    expect(debug.lines.join('')).toContain('800142');
  });
});
