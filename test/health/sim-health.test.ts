import { describe, expect, it } from 'vitest';
import { judgeSimHealth, type SimHealthRules } from '../../src/health/sim-health.js';
import { classifySmsRead } from '../../src/modem/sms-read-tap.js';

const RULES: SimHealthRules = { readErrorsInARow: 3, minBalance: 10 };
const FINE = { registered: true, readErrorsInARow: 0, balance: null };

describe('SIM health rules', () => {
  it('a registered SIM with clean reads and no known balance is healthy', () => {
    expect(judgeSimHealth(FINE, RULES)).toEqual({ health: 'healthy', reason: null });
  });

  it('unregistered beats every other reason', () => {
    expect(judgeSimHealth({ registered: false, readErrorsInARow: 9, balance: 0 }, RULES)).toEqual({
      health: 'unhealthy',
      reason: 'unregistered',
    });
  });

  it('read errors count only from readErrorsInARow on', () => {
    expect(judgeSimHealth({ ...FINE, readErrorsInARow: 2 }, RULES).health).toBe('healthy');
    expect(judgeSimHealth({ ...FINE, readErrorsInARow: 3 }, RULES)).toEqual({
      health: 'unhealthy',
      reason: 'read_errors',
    });
  });

  it('a known balance below minBalance is low_balance; at minBalance, unknown or unjudged it is not', () => {
    expect(judgeSimHealth({ ...FINE, balance: 9.99 }, RULES).reason).toBe('low_balance');
    expect(judgeSimHealth({ ...FINE, balance: 10 }, RULES).health).toBe('healthy');
    expect(judgeSimHealth({ ...FINE, balance: null }, RULES).health).toBe('healthy');
    expect(judgeSimHealth({ ...FINE, balance: -5 }, { ...RULES, minBalance: null }).health).toBe('healthy');
  });
});

describe('classifySmsRead', () => {
  const cms = (code: number) => ({ kind: 'cms', code }) as const;

  it('counts AT+CMGR and AT+CMGL answers, OK as ok and +CMS ERROR as failed', () => {
    expect(classifySmsRead('AT+CMGR=3', { kind: 'ok' })).toBe('ok');
    expect(classifySmsRead('AT+CMGL=4', { kind: 'ok' })).toBe('ok');
    expect(classifySmsRead('AT+CMGL="ALL"', cms(500))).toBe('failed');
    expect(classifySmsRead('AT+CMGR=1', cms(302))).toBe('failed');
  });

  it('ignores SIM busy, an emptied slot, other errors and other commands', () => {
    expect(classifySmsRead('AT+CMGR=1', cms(314))).toBeNull();
    expect(classifySmsRead('AT+CMGR=1', cms(321))).toBeNull();
    expect(classifySmsRead('AT+CMGL=4', cms(321))).toBe('failed');
    expect(classifySmsRead('AT+CMGR=1', { kind: 'error' })).toBeNull();
    expect(classifySmsRead('AT+CMGD=1', cms(500))).toBeNull();
    expect(classifySmsRead('AT+CPMS?', { kind: 'ok' })).toBeNull();
  });
});
