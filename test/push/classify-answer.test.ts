import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { classifyPushAnswer, type PushVerdict } from '../../src/push/classify-answer.js';

const json = (value: unknown): string => JSON.stringify(value);
type Row = [
  name: string,
  status: number,
  bodyText: string,
  headers: Record<string, string>,
  expected: Partial<PushVerdict>,
];

describe('classifyPushAnswer', () => {
  const rows: Row[] = [
    ['200 SUCCESS', 200, json({ status: 'SUCCESS' }), {}, { kind: 'delivered' }],
    ['200 empty body', 200, '', {}, { kind: 'delivered' }],
    ['200 plain OK', 200, 'OK', {}, { kind: 'delivered' }],
    [
      '200 unknown error name still ends it',
      200,
      json({ status: 'ERROR', error: 'WHATEVER_ELSE' }),
      {},
      { kind: 'delivered', errorName: 'WHATEVER_ELSE' },
    ],
    [
      '200 NO_OPERATION json',
      200,
      json({ status: 'ERROR', error: 'NO_OPERATION' }),
      {},
      { kind: 'rejected', errorName: 'NO_OPERATION' },
    ],
    ['200 NO_OP plain text', 200, 'NO_OP', {}, { kind: 'rejected', errorName: 'NO_OP' }],
    [
      '200 BAD_SERVICE',
      200,
      json({ status: 'ERROR', error: 'BAD_SERVICE' }),
      {},
      { kind: 'rejected', errorName: 'BAD_SERVICE' },
    ],
    [
      '400 NO_OPERATION',
      400,
      json({ status: 'ERROR', error: 'NO_OPERATION' }),
      {},
      { kind: 'rejected', errorName: 'NO_OPERATION' },
    ],
    ['404 empty body', 404, '', {}, { kind: 'rejected', errorName: 'NO_OPERATION' }],
    ['404 NO_OP', 404, json({ error: 'NO_OP' }), {}, { kind: 'rejected', errorName: 'NO_OP' }],
    [
      '500 BAD_SERVICE',
      500,
      json({ status: 'ERROR', error: 'BAD_SERVICE' }),
      {},
      { kind: 'rejected', errorName: 'BAD_SERVICE' },
    ],
    ['400 IGNORED', 400, json({ error: 'IGNORED' }), {}, { kind: 'rejected', errorName: 'IGNORED' }],
    ['403 SERVICE_BAN plain', 403, 'error: SERVICE_BAN', {}, { kind: 'rejected', errorName: 'SERVICE_BAN' }],
    [
      'status field carries the name',
      422,
      json({ status: 'NO_OPERATION' }),
      {},
      { kind: 'rejected', errorName: 'NO_OPERATION' },
    ],
    [
      '429 TOO_MANY_ATTEMPTS',
      429,
      json({ error: 'TOO_MANY_ATTEMPTS' }),
      {},
      { kind: 'retry', errorName: 'TOO_MANY_ATTEMPTS' },
    ],
    ['429 no body', 429, '', {}, { kind: 'retry', errorName: 'TOO_MANY_ATTEMPTS' }],
    ['429 Retry-After 30', 429, '', { 'retry-after': '30' }, { kind: 'retry', delayMs: 30_000 }],
    ['429 Retry-After 5', 429, '', { 'retry-after': '5' }, { kind: 'retry', delayMs: 5_000 }],
    [
      '429 Retry-After HTTP-date',
      429,
      '',
      { 'retry-after': 'Tue, 14 Nov 2023 22:14:20 GMT' },
      { kind: 'retry', delayMs: 7_000 },
    ],
    [
      '429 Retry-After huge is capped',
      429,
      '',
      { 'retry-after': '999999' },
      { kind: 'retry', delayMs: 3_600_000 },
    ],
    [
      '429 Retry-After garbage ignored',
      429,
      '',
      { 'retry-after': 'soon' },
      { kind: 'retry', delayMs: undefined },
    ],
    ['500', 500, 'Internal Server Error', {}, { kind: 'retry', errorName: 'HTTP_500', delayMs: undefined }],
    ['502 HTML page saying "ignored"', 502, '<html>request ignored by proxy</html>', {}, { kind: 'retry' }],
    ['503', 503, '', {}, { kind: 'retry', errorName: 'HTTP_503' }],
    [
      '401 ERROR_WRONG_KEY',
      401,
      json({ error: 'ERROR_WRONG_KEY' }),
      {},
      { kind: 'retry', errorName: 'ERROR_WRONG_KEY' },
    ],
    [
      '400 other error',
      400,
      json({ status: 'ERROR', error: 'BAD_REQUEST' }),
      {},
      { kind: 'retry', errorName: 'BAD_REQUEST' },
    ],
    ['301 redirect', 301, '', {}, { kind: 'retry' }],
    ['201 is not 200', 201, '', {}, { kind: 'retry', errorName: 'HTTP_201' }],
    ['NO_OPERATIONS is not NO_OPERATION', 400, 'NO_OPERATIONS', {}, { kind: 'retry' }],
  ];

  it.each(rows)('%s', (_name, status, bodyText, headers, expected) => {
    const verdict = classifyPushAnswer(
      { status, bodyText, headers },
      { nowMs: Date.parse('Tue, 14 Nov 2023 22:14:13 GMT') },
    );
    const { delayMs, ...rest } = expected as Partial<PushVerdict> & { delayMs?: number };
    expect(verdict).toMatchObject(rest);
    if ('delayMs' in expected) expect((verdict as { delayMs?: number }).delayMs).toBe(delayMs);
  });

  it.each([
    ['refused', 'PUSH_NETWORK', 'ECONNREFUSED', 'PUSH_NETWORK:ECONNREFUSED'],
    ['reset', 'PUSH_NETWORK', 'ECONNRESET', 'PUSH_NETWORK:ECONNRESET'],
    ['timeout', 'PUSH_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'PUSH_TIMEOUT:UND_ERR_HEADERS_TIMEOUT'],
  ] as const)('network error (%s) -> retry', (_name, code, causeCode, errorName) => {
    const cause = Object.assign(new Error(causeCode), { code: causeCode });
    const verdict = classifyPushAnswer({ networkError: new GatewayError(code, 'failed', { cause }) });
    expect(verdict).toEqual({ kind: 'retry', reason: expect.stringContaining('network error'), errorName });
  });
});
