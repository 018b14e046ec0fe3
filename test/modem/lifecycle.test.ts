import { describe, expect, it } from 'vitest';
import {
  type DriverState,
  type LifecycleEvent,
  recoveryAction,
  transition,
} from '../../src/modem/lifecycle.js';
import { backoffMs } from '../../src/modem/options.js';

describe('transition', () => {
  it.each<[DriverState, LifecycleEvent['type'], DriverState]>([
    ['opening', 'opened', 'initializing'],
    ['opening', 'openFailed', 'gone'],
    ['initializing', 'initialized', 'ready'],
    ['initializing', 'initFailed', 'recovering'],
    ['recovering', 'initialized', 'ready'],
    ['recovering', 'initFailed', 'recovering'],
    ['ready', 'resetDetected', 'initializing'],
    ['ready', 'watchdogFailed', 'recovering'],
    ['ready', 'portLost', 'gone'],
    ['recovering', 'portLost', 'gone'],
    ['gone', 'open', 'opening'],
    ['ready', 'stop', 'stopped'],
    ['stopped', 'open', 'stopped'],
    ['gone', 'initialized', 'gone'],
    ['ready', 'opened', 'ready'],
    ['initializing', 'resetDetected', 'initializing'],
  ])('%s --%s--> %s', (state, type, expected) => {
    expect(transition(state, { type } as LifecycleEvent)).toBe(expected);
  });
});

describe('recoveryAction', () => {
  it.each([
    [0, true, 'reinit'],
    [1, true, 'reopen'],
    [2, true, 'vendor-reset'],
    [3, true, 'reopen'],
    [4, true, 'vendor-reset'],
    [2, false, 'reopen'],
  ] as const)('attempt %i (vendor reset %s) -> %s', (attempt, hasReset, expected) => {
    expect(recoveryAction(attempt, hasReset)).toBe(expected);
  });

  it('backs off exponentially up to the cap', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffMs(n, 100, 1_000))).toEqual([100, 200, 400, 800, 1_000]);
  });
});
