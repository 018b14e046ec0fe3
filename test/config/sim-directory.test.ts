import { describe, expect, it } from 'vitest';
import { compileSenderFilter, parseListenAddress, simDirectory } from '../../src/config/index.js';

describe('simDirectory', () => {
  const directory = simDirectory({
    sims: [
      { iccid: '89701012345678901234', phone: '79088081050', country: 'russia', services: ['vk'] },
      { imsi: '250011234567890', phone: '79088081051' },
      { iccid: '8970101234567890123F', imsi: '250019999999999', phone: '79088081052' },
    ],
  });

  it('finds the phone by ICCID first, then by IMSI', () => {
    expect(directory.phoneFor({ iccid: '89701012345678901234', imsi: '250011234567890' })).toBe(
      '79088081050',
    );
    expect(directory.phoneFor({ iccid: '00000000000000000000', imsi: '250011234567890' })).toBe(
      '79088081051',
    );
    expect(directory.phoneFor({ iccid: null, imsi: '250011234567890' })).toBe('79088081051');
    expect(directory.phoneFor({ iccid: null, imsi: null })).toBeNull();
    expect(directory.phoneFor({ iccid: '1', imsi: '2' })).toBeNull();
  });

  it('ignores the F filler on either side', () => {
    expect(directory.phoneFor({ iccid: '8970101234567890123', imsi: null })).toBe('79088081052');
    expect(directory.phoneFor({ iccid: '89701012345678901234f', imsi: null })).toBe('79088081050');
  });

  it('finds the SIM by phone', () => {
    expect(directory.simByPhone('79088081050')?.services).toEqual(['vk']);
    expect(directory.simByPhone('70000000000')).toBeUndefined();
    expect(directory.all()).toHaveLength(3);
  });
});

describe('compileSenderFilter', () => {
  const denied = compileSenderFilter(['bank', '/^900$/', '/pay/i']);
  it.each([
    ['Sberbank', true],
    ['BANK-INFO', true],
    ['900', true],
    ['9000', false],
    ['PayPal', true],
    ['Instagram', false],
  ])('%s -> %s', (sender, expected) => {
    expect(denied(sender)).toBe(expected);
  });
  it('denies nothing when empty', () => {
    expect(compileSenderFilter([])('anything')).toBe(false);
  });
  it('drops the g and y flags, which would make a second test of the same sender miss', () => {
    const sticky = compileSenderFilter(['/bank/gy', '/^900$/g']);
    expect([sticky('bank'), sticky('bank'), sticky('900'), sticky('900')]).toEqual([true, true, true, true]);
  });
});

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:8930', { host: '127.0.0.1', port: 8930 }],
    ['[::1]:80', { host: '::1', port: 80 }],
    [':8080', { host: '0.0.0.0', port: 8080 }],
  ])('%s', (listen, expected) => {
    expect(parseListenAddress(listen)).toEqual(expected);
  });
});
