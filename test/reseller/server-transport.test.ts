import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { authenticate, keysMatch } from '../../src/reseller/http/auth.js';
import { acceptsGzip } from '../../src/reseller/http/gzip-body.js';
import { API_KEY, makeSims } from './support/harness.js';
import { type ServerHarness, startHarness } from './support/server-harness.js';

const services = { action: 'GET_SERVICES' };

describe('reseller endpoint: keys', () => {
  let h: ServerHarness;
  afterEach(async () => h?.close());

  it('accepts the key in the body or as a Bearer header', async () => {
    h = startHarness();
    expect((await h.post({ ...services, key: API_KEY })).json().status).toBe('SUCCESS');
    const bearer = await h.post(services, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(bearer.json().status).toBe('SUCCESS');
  });

  it('refuses a wrong or missing key with an ERROR answer (HTTP 200 by default, 401 if configured)', async () => {
    h = startHarness();
    const wrong = await h.post({ ...services, key: 'nope' });
    expect([wrong.statusCode, wrong.json()]).toEqual([200, { status: 'ERROR', error: 'ERROR_WRONG_KEY' }]);
    const wrongBearer = await h.post(services, { headers: { authorization: `Bearer ${API_KEY}x` } });
    expect(wrongBearer.json()).toEqual({ status: 'ERROR', error: 'ERROR_WRONG_KEY' });
    const missing = await h.post(services);
    expect(missing.json()).toEqual({ status: 'ERROR', error: 'ERROR_NO_KEY' });
    // A wrong key never sells a number.
    const order = {
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
      sum: 1,
      key: 'x',
    };
    expect((await h.post(order)).json().status).toBe('ERROR');
    expect(await h.store.listOperations()).toEqual([]);
    await h.close();

    h = startHarness(makeSims(1), { authErrorStatusCode: 401 });
    const refused = await h.post({ ...services, key: 'nope' });
    expect([refused.statusCode, refused.json()]).toEqual([
      401,
      { status: 'ERROR', error: 'ERROR_WRONG_KEY' },
    ]);
  });

  it('never writes the key to the log', async () => {
    h = startHarness();
    await h.post({ ...services, key: `${API_KEY}-wrong` });
    await h.post({ action: 'NOPE', key: API_KEY });
    await h.call({ action: 'GET_NUMBER', country: 'russia', operator: 'any', service: 'vk', sum: 1 });
    await h.post(
      { action: 'FINISH_ACTIVATION', activationId: 99, status: 3 },
      { headers: { authorization: `Bearer ${API_KEY}` } },
    );
    expect(h.rawLog.length).toBeGreaterThan(2);
    expect(h.rawLog.join('\n')).not.toContain(API_KEY);
  });

  it('compares keys by content and length', () => {
    expect(keysMatch('abc', 'abc')).toBe(true);
    expect(keysMatch('abd', 'abc')).toBe(false);
    expect(keysMatch('abcd', 'abc')).toBe(false);
    expect(keysMatch('', 'abc')).toBe(false);
    expect(authenticate(undefined, 'bearer abc', 'abc')).toBe('ok');
    expect(authenticate('wrong', 'Bearer abc', 'abc')).toBe('ok');
    expect(authenticate('', 'Basic abc', 'abc')).toBe('missing');
  });
});

describe('reseller endpoint: dispatch and validation', () => {
  let h: ServerHarness;
  afterEach(async () => h?.close());

  it('answers an unknown action with ERROR, and takes the action from the path when the body has none', async () => {
    h = startHarness(makeSims(1));
    expect(await h.call({ action: 'GET_BALANCE' })).toEqual({
      status: 'ERROR',
      error: 'UNKNOWN_ACTION: GET_BALANCE',
    });
    expect(await h.call({})).toEqual({ status: 'ERROR', error: 'BAD_REQUEST: action missing' });
    const got = await h.call({ country: 'russia', operator: 'any', service: 'vk', sum: 1 }, '/getNumber');
    expect(got).toEqual({ status: 'SUCCESS', number: 79000000000, activationId: 1 });
  });

  it('explains invalid fields, tolerating numeric strings', async () => {
    h = startHarness(makeSims(1));
    expect(await h.call({ action: 'GET_NUMBER', country: 'russia', service: 'vk', sum: 1 })).toEqual({
      status: 'ERROR',
      error: 'BAD_REQUEST: operator: Required',
    });
    expect(await h.call({ action: 'FINISH_ACTIVATION', activationId: 0, status: 2 })).toEqual({
      status: 'ERROR',
      error:
        'BAD_REQUEST: activationId: Number must be greater than or equal to 1; status: must be 1, 3, 4 or 5',
    });
    const got = await h.call({
      action: 'GET_NUMBER',
      country: 'russia',
      operator: 'any',
      service: 'vk',
      sum: '40',
    });
    expect(got.status).toBe('SUCCESS');
    expect(
      await h.call({ action: 'FINISH_ACTIVATION', activationId: String(got.activationId), status: '3' }),
    ).toEqual({
      status: 'SUCCESS',
    });
    expect((await h.store.listOperations())[0]).toMatchObject({ finishStatus: 3, sum: 40 });
  });

  it('answers a body that is not JSON, or not an object, with an ERROR body', async () => {
    h = startHarness();
    const broken = await h.post('{"action":');
    expect([broken.statusCode, broken.json()]).toEqual([
      400,
      { status: 'ERROR', error: 'BAD_REQUEST: unreadable body' },
    ]);
    const array = await h.post([1, 2]);
    expect([array.statusCode, array.json()]).toEqual([
      200,
      { status: 'ERROR', error: 'BAD_REQUEST: body must be a JSON object' },
    ]);
    const noType = await h.post(JSON.stringify({ ...services, key: API_KEY }), {
      headers: { 'content-type': 'text/plain' },
    });
    expect(noType.json().status).toBe('SUCCESS');
    const bare = await h.app.inject({
      method: 'POST',
      url: '/',
      payload: Buffer.from(JSON.stringify({ ...services, key: API_KEY })),
    });
    expect(bare.json().status).toBe('SUCCESS');
  });

  it('answers the rent paths with a documented ERROR', async () => {
    h = startHarness();
    for (const path of ['/getServicesRent', '/getNumberRent', '/finishActivationRent']) {
      const res = await h.post({ ...services, key: API_KEY }, { path });
      expect(res.json()).toEqual({ status: 'ERROR', error: 'RENT_NOT_SUPPORTED' });
    }
  });

  it('answers a store failure with HTTP 500 and an ERROR body', async () => {
    h = startHarness();
    h.db.close();
    const res = await h.post({ ...services, key: API_KEY });
    expect([res.statusCode, res.json()]).toEqual([500, { status: 'ERROR', error: 'INTERNAL_ERROR' }]);
    expect(h.logs.some((line) => line.level === 50)).toBe(true);
    h.close = async () => h.app.close();
  });
});

describe('reseller endpoint: body encoding and size', () => {
  let h: ServerHarness;
  afterEach(async () => h?.close());

  it('accepts a gzip request body', async () => {
    h = startHarness(makeSims(1));
    const body = gzipSync(
      JSON.stringify({
        action: 'GET_NUMBER',
        country: 'russia',
        operator: 'any',
        service: 'vk',
        sum: 5,
        key: API_KEY,
      }),
    );
    const res = await h.post(body, { headers: { 'content-encoding': 'gzip' } });
    expect(res.json()).toEqual({ status: 'SUCCESS', number: 79000000000, activationId: 1 });
  });

  it('refuses bodies over the limit, before and after gzip decoding', async () => {
    h = startHarness(makeSims(1), { bodyLimitBytes: 1024 });
    const big = JSON.stringify({ ...services, key: API_KEY, pad: 'x'.repeat(2000) });
    const plain = await h.post(big);
    expect([plain.statusCode, plain.json()]).toEqual([413, { status: 'ERROR', error: 'BODY_TOO_LARGE' }]);
    const compressed = gzipSync(big);
    expect(compressed.length).toBeLessThan(1024);
    const bomb = await h.post(compressed, { headers: { 'content-encoding': 'gzip' } });
    expect([bomb.statusCode, bomb.json()]).toEqual([413, { status: 'ERROR', error: 'BODY_TOO_LARGE' }]);
  });

  it('gzips a large answer for a peer that accepts gzip, and only then', async () => {
    const services = Array.from({ length: 60 }, (_, i) => `service-${i}`);
    h = startHarness(makeSims(8, { services }));
    const body = { action: 'GET_SERVICES', key: API_KEY };
    const zipped = await h.post(body, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('application/json; charset=utf-8');
    const answer = JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'));
    expect(answer.countryList[0].operatorMap.any['service-59']).toBe(8);
    const plain = await h.post(body);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(answer);
    const small = await h.post(
      { action: 'FINISH_ACTIVATION', activationId: 5, status: 4, key: API_KEY },
      {
        headers: { 'accept-encoding': 'gzip' },
      },
    );
    expect([small.headers['content-encoding'], small.json()]).toEqual([undefined, { status: 'SUCCESS' }]);
  });

  it('reads Accept-Encoding with q-values', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('br, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('deflate, br')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it('refuses a corrupt gzip body and an unknown encoding', async () => {
    h = startHarness();
    const corrupt = await h.post(Buffer.from('not gzip at all'), { headers: { 'content-encoding': 'gzip' } });
    expect([corrupt.statusCode, corrupt.json().status]).toEqual([400, 'ERROR']);
    const br = await h.post(Buffer.from('{}'), { headers: { 'content-encoding': 'br' } });
    expect([br.statusCode, br.json()]).toEqual([415, { status: 'ERROR', error: 'UNSUPPORTED_ENCODING' }]);
  });
});
