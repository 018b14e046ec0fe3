import type { ModemState } from './types.js';

/** The driver's lifecycle: the public states plus `stopped` once `stop()` was called. */
export type DriverState = ModemState | 'stopped';

/** Everything that moves a modem between states. */
export type LifecycleEvent =
  | { type: 'open' }
  | { type: 'opened' }
  | { type: 'openFailed' }
  | { type: 'initialized' }
  | { type: 'initFailed' }
  /** Unexpected boot URC while ready: the modem forgot its settings. */
  | { type: 'resetDetected' }
  | { type: 'watchdogFailed' }
  /** The channel closed with an error or the path vanished (USB unplug). */
  | { type: 'portLost' }
  | { type: 'stop' };

/**
 * Pure lifecycle transition (STYLE.md §2 "lifecycles as data"). Returns the same state for an
 * event that does not apply, so callers can feed every event without pre-checks.
 */
export function transition(state: DriverState, event: LifecycleEvent): DriverState {
  if (state === 'stopped') return state;
  switch (event.type) {
    case 'stop':
      return 'stopped';
    case 'portLost':
      return 'gone';
    case 'open':
      return 'opening';
    case 'opened':
      return state === 'opening' ? 'initializing' : state;
    case 'openFailed':
      return state === 'opening' ? 'gone' : state;
    case 'initialized':
      return state === 'initializing' || state === 'recovering' ? 'ready' : state;
    case 'initFailed':
      return state === 'initializing' || state === 'recovering' ? 'recovering' : state;
    case 'resetDetected':
      return state === 'ready' ? 'initializing' : state;
    case 'watchdogFailed':
      return state === 'ready' || state === 'initializing' ? 'recovering' : state;
  }
}

/** What recovery tries at each consecutive failed attempt (quirks.md §1 "Recovery"). */
export type RecoveryAction = 'reinit' | 'reopen' | 'vendor-reset';

/**
 * Escalation ladder: re-init on the open port, then reopen the port, then the profile's vendor
 * reset; after that, reopen and vendor reset alternate (with growing back-off).
 */
export function recoveryAction(attempt: number, hasVendorReset: boolean): RecoveryAction {
  if (attempt <= 0) return 'reinit';
  if (attempt === 1 || !hasVendorReset) return 'reopen';
  return attempt % 2 === 0 ? 'vendor-reset' : 'reopen';
}
