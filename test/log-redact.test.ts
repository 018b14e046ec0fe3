import { describe, expect, it } from 'vitest';
import { CENSOR, redactObject } from '../src/log-redact.js';

const secrets = { keys: new Set(['key', 'token', 'authorization']), maxDepth: 3 };

describe('redactObject', () => {
  it('replaces a secret at each of the first three levels and leaves the caller object as it was', () => {
    const logged = { key: 'k1', body: { key: 'k2', smsId: 5 }, config: { admin: { token: 't3' } } };
    const redacted = redactObject(logged, [secrets]);
    expect(redacted).toEqual({
      key: CENSOR,
      body: { key: CENSOR, smsId: 5 },
      config: { admin: { token: CENSOR } },
    });
    expect(logged.body.key).toBe('k2');
    expect(logged.config.admin.token).toBe('t3');
  });

  it('returns the same object when nothing matches, so a clean line costs no copy', () => {
    const logged = { port: '/dev/gsm/modem-1', sim: '8970101', nested: { index: 3 } };
    expect(redactObject(logged, [secrets])).toBe(logged);
  });

  it('stops at the rule depth', () => {
    const logged = { a: { b: { c: { key: 'deep' } } } };
    expect(redactObject(logged, [secrets])).toBe(logged);
  });

  it('walks arrays and null-prototype objects such as node:http headers', () => {
    const headers = Object.assign(Object.create(null) as Record<string, string>, {
      authorization: 'Bearer x',
    });
    const logged = { calls: [{ token: 't' }, { ok: true }], req: { headers } };
    const redacted = redactObject(logged, [secrets]);
    expect(redacted.calls).toEqual([{ token: CENSOR }, { ok: true }]);
    expect(redacted.req.headers.authorization).toBe(CENSOR);
  });

  it('does not descend into class instances such as errors', () => {
    const err = Object.assign(new Error('boom'), { code: 'E' });
    const logged = { err };
    expect(redactObject(logged, [secrets]).err).toBe(err);
  });
});
