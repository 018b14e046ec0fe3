import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { parseStrictJson } from './support/strict-json.js';

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

  it('never writes the admin token, wherever it sits', () => {
    const { log, lines } = capture('trace');
    const token = 'Adm1n-t0ken-0123456789abcdef';
    log.info({ config: { admin: { listen: '0.0.0.0:8930', token } } }, 'config loaded');
    log.info({ admin: { token } }, 'admin');
    log.info({ auth: { token } }, 'auth');
    log.info({ token }, 'token');
    log.info({ headers: { authorization: `Bearer ${token}` } }, 'admin call');
    expect(lines.join('')).not.toContain(token);
    expect(lines.join('')).toContain('0.0.0.0:8930');
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

describe('log lines are strict JSON objects', () => {
  it('has no key twice when children rebind a key and a call repeats a bound key', () => {
    const { log, lines } = capture('debug');
    // The real chain: the modem driver binds layer+port, the AT engine under it binds them again.
    const driver = log.child({ layer: 'modem', port: '/dev/gsm/1-1.2' });
    const engine = driver.child({ layer: 'at', port: '/dev/gsm/1-1.2' });
    engine.info({ command: 'AT+CSQ' }, 'sent');
    engine.info({ port: '/dev/gsm/1-1.2' }, 'same value again at the call');
    engine.warn({ port: '/dev/gsm/other', layer: 'x' }, 'another value at the call');
    driver.info({ pid: 1, name: 'n', time: 't', level: 'l', msg: 'm' }, 'reserved keys at the call');
    log.info({ pid: 7 }, 'root call with a base key');
    expect(lines).toHaveLength(5);
    const parsed = lines.map((line) => parseStrictJson(line) as Record<string, unknown>);
    // The innermost binding wins: the engine's lines say layer "at".
    expect(parsed[0]).toMatchObject({ layer: 'at', port: '/dev/gsm/1-1.2', command: 'AT+CSQ', msg: 'sent' });
    // A different value given at the call is kept, beside the bound one, not lost.
    expect(parsed[2]).toMatchObject({
      layer: 'at',
      port: '/dev/gsm/1-1.2',
      shadowed: { port: '/dev/gsm/other', layer: 'x' },
    });
    expect(parsed[3]).toMatchObject({ msg: 'reserved keys at the call', level: 30, pid: process.pid });
    expect(parsed[4]).toMatchObject({ pid: process.pid, shadowed: { pid: 7 } });
  });

  it('the strict parser itself rejects a repeated key', () => {
    expect(() => parseStrictJson('{"a":1,"b":{"c":1,"c":2}}')).toThrow('duplicate key "c" in .b');
    expect(parseStrictJson('{"a":[{"b":"x\\"y"}],"c":null}')).toEqual({ a: [{ b: 'x"y' }], c: null });
  });
});

describe('createLogger bindings', () => {
  it('never writes a secret bound to a child logger', () => {
    const { log, lines } = capture('info');
    log.child({ apiKey: 'sekret-456', layer: 'push' }).info({ body: { key: 'sekret-456' } }, 'bound');
    expect(lines.join('')).not.toContain('sekret-456');
    expect(lines.join('')).toContain('"layer":"push"');
  });
});
