import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError, toError } from '../src/errors.js';

describe('GatewayError', () => {
  it('carries its code in the message and as a field, and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const err = new GatewayError('PUSH_NETWORK', 'push failed', { cause, context: { attempt: 2 } });
    expect(err.code).toBe('PUSH_NETWORK');
    expect(err.message).toBe('push failed [PUSH_NETWORK]');
    expect(err.cause).toBe(cause);
    expect(err.context).toEqual({ attempt: 2 });
    expect(err.name).toBe('GatewayError');
  });

  it('is recognised by shape as well as by class', () => {
    class SubError extends GatewayError {}
    expect(isGatewayError(new SubError('AT_TIMEOUT', 'x'))).toBe(true);
    const foreign = Object.assign(new Error('x'), { code: 'STORE_FAILED' });
    expect(isGatewayError(foreign)).toBe(true);
    expect(isGatewayError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isGatewayError('AT_TIMEOUT')).toBe(false);
  });

  it('turns thrown non-errors into errors', () => {
    expect(toError('boom').message).toBe('boom');
    expect(toError({ a: 1 }).message).toBe('{"a":1}');
  });
});
