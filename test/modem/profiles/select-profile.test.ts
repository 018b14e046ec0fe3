import { describe, expect, it } from 'vitest';
import { huaweiProfile } from '../../../src/modem/profiles/huawei.js';
import { isSimBusy } from '../../../src/modem/profiles/profile.js';
import { PROFILES, selectProfile } from '../../../src/modem/profiles/select-profile.js';

describe('selectProfile', () => {
  it.each([
    ['huawei', 'E173', 'huawei'],
    ['HUAWEI', 'E3372', 'huawei'],
    ['ZTE CORPORATION', 'MF190', 'zte'],
    ['', 'MF626', 'zte'],
    ['SIMCOM_Ltd', 'SIMCOM_SIM800L', 'simcom'],
    ['SIMCOM INCORPORATED', 'SIMCOM_SIM7600E-H', 'simcom'],
    ['Quectel', 'EC25', 'quectel'],
    ['', 'EG25', 'quectel'],
    ['Telit', 'LE910', 'generic'],
    [null, null, 'generic'],
  ])('%s / %s -> %s', (manufacturer, model, vendor) => {
    expect(selectProfile({ manufacturer, model }).vendor).toBe(vendor);
  });
});

describe('profiles', () => {
  it('Huawei never resets with CFUN=1,1 (E173 comes back as a CD-ROM, gammu #687)', () => {
    expect(huaweiProfile.resetCommands).not.toContain('AT+CFUN=1,1');
    expect(huaweiProfile.storageIndexBase).toBe(0);
    expect(huaweiProfile.storageFullUrcs.some((re) => re.test('^SMMEMFULL: "SM"'))).toBe(true);
  });

  it.each([
    ['huawei', '^RSSI: 17'],
    ['huawei', '^HCSQ: "LTE",45,40,130,30'],
    ['huawei', '^BOOT: 2,0,0,0,0'],
    ['huawei', '^DSFLOWRPT: 00000001,0,0'],
    ['zte', '+ZPASR: "UMTS"'],
    ['simcom', 'Call Ready'],
    ['quectel', '+QIND: PB DONE'],
  ])('%s swallows %s', (vendor, line) => {
    const profile = PROFILES.find((p) => p.vendor === vendor);
    expect(profile?.noiseUrcs.some((re) => re.test(line))).toBe(true);
  });

  it.each([
    ['simcom', 'SMS Ready'],
    ['simcom', 'SMS DONE'],
    ['quectel', '+QIND: SMS DONE'],
  ])('%s ready URC %s', (vendor, line) => {
    const profile = PROFILES.find((p) => p.vendor === vendor);
    expect(profile?.readyUrcs.some((re) => re.test(line))).toBe(true);
  });

  it.each([
    [{ kind: 'cms', code: 314 }, true],
    [{ kind: 'cme', code: 14 }, true],
    [{ kind: 'cme', code: 10 }, false],
    [{ kind: 'error' }, false],
  ] as const)('isSimBusy %j -> %s', (final, expected) => {
    expect(isSimBusy(final)).toBe(expected);
  });
});
