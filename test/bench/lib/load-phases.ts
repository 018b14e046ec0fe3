import type { EmulatedFarm } from '../../../src/emulator/farm.js';
import { delay } from '../../integration/support/wait.js';
import { nowMs } from './bench-rig.js';
import type { InjectionTracker } from './injection-tracker.js';
import type { MessageFactory, MessageKind } from './message-stream.js';

/**
 * Ways of feeding messages to the farm: a steady rate, bursts at the same average rate, and
 * everything at once. Each returns the keys it injected.
 */

export interface LoadContext {
  farm: EmulatedFarm;
  factory: MessageFactory;
  tracker: InjectionTracker;
}

const TICK_MS = 10;

/** Injects one message on `slot` (all its parts) and tracks it. */
export function injectOne(context: LoadContext, slot: number, kind?: MessageKind): number {
  const message = context.factory.next(slot, kind);
  context.tracker.track(message, nowMs());
  context.farm.modem(slot).injectPduParts(message.pdus);
  return message.key;
}

/**
 * `ratePerS` messages per second in total for `durationMs`, spread round-robin over the modems.
 * `kinds`, when given, are taken in turn (else each kind is drawn from the factory's mix).
 */
export async function steadyLoad(
  context: LoadContext,
  ratePerS: number,
  durationMs: number,
  kinds?: readonly MessageKind[],
): Promise<number[]> {
  const keys: number[] = [];
  const start = nowMs();
  let slot = 0;
  for (;;) {
    const elapsed = nowMs() - start;
    if (elapsed >= durationMs) break;
    const due = Math.floor((elapsed / 1000) * ratePerS) + 1;
    while (keys.length < due) {
      keys.push(injectOne(context, slot, kinds?.[keys.length % kinds.length]));
      slot = (slot + 1) % context.farm.size;
    }
    await delay(TICK_MS);
  }
  return keys;
}

/** The same average rate as `steadyLoad`, but all of each `periodMs` arrives at once. */
export async function burstyLoad(
  context: LoadContext,
  ratePerS: number,
  durationMs: number,
  periodMs = 500,
): Promise<number[]> {
  const keys: number[] = [];
  const perBurst = Math.max(1, Math.round((ratePerS * periodMs) / 1000));
  const start = nowMs();
  let slot = 0;
  while (nowMs() - start < durationMs) {
    for (let i = 0; i < perBurst; i++) {
      keys.push(injectOne(context, slot));
      slot = (slot + 1) % context.farm.size;
    }
    await delay(periodMs);
  }
  return keys;
}

/** `perModem` single GSM 7-bit messages on every modem at the same instant. */
export function floodLoad(context: LoadContext, perModem: number): number[] {
  const keys: number[] = [];
  for (let i = 0; i < perModem; i++) {
    for (let slot = 0; slot < context.farm.size; slot++) keys.push(injectOne(context, slot, 'gsm7'));
  }
  return keys;
}
