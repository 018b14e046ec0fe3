import type { NumberOrder } from './onlinesim-script-client.js';
import { FarmModel, type ModelSim } from './onlinesim-script-model.js';
import { SessionRig, type SimPlanEntry } from './onlinesim-script-rig.js';

/**
 * The farm and texts of the scripted Onlinesim session (onlinesim-session.test.ts): eight SIMs
 * in two countries, four operators and three services, one off the network at first, one in
 * no modem. Kept apart from the test so its file reads as the script of calls.
 */

export const SERVICES = ['instagram', 'vk', 'telegram'] as const;
export const SENDERS: Record<string, string> = { instagram: 'Instagram', vk: 'VK', telegram: 'Telegram' };
/** Slot 7 is off the network when the bridge first reads it. */
export const UNREGISTERED_SLOT = 7;

export const PLAN: readonly SimPlanEntry[] = [
  { country: 'russia', operator: 'mts' },
  { country: 'russia', operator: 'mts' },
  { country: 'russia', operator: 'mts' },
  { country: 'russia', operator: 'beeline' },
  { country: 'russia', operator: 'beeline' },
  { country: 'russia', operator: 'megafon', services: ['telegram'] },
  { country: 'germany', operator: 'vodafone' },
  { country: 'germany', operator: 'telekom' },
];
/** A configured SIM in no modem (a SIM-bank slot): never counted (§3). */
export const BANK_SIM = {
  iccid: '8970199999999999999',
  phone: '79009999999',
  country: 'russia',
  operator: 'mts',
};

/** `simbridge run` over the plan's farm, with slot 7 off the network before the bridge starts. */
export function startSessionRig(retryDelayMs: number): Promise<SessionRig> {
  return SessionRig.start({
    modems: PLAN.length,
    services: SERVICES,
    plan: (slot) => PLAN[slot] ?? { country: 'russia', operator: 'mts' },
    offlineSims: [BANK_SIM],
    retryDelayMs,
    beforeBridge: (farm) => farm.modem(UNREGISTERED_SLOT).setRadio({ registered: false }),
  });
}

/** The model of what is free at the start: every SIM in a modem is live, except slot 7's. */
export function startingModel(rig: SessionRig): FarmModel {
  const model = new FarmModel(rig.sims);
  for (const sim of rig.sims) {
    if (sim.slot !== null && sim.slot !== UNREGISTERED_SLOT) model.setLive(sim.phone, true);
  }
  return model;
}

/** The SIM in `slot` of the farm. */
export function simInSlot(sims: readonly ModelSim[], slot: number): ModelSim {
  const sim = sims.find((s) => s.slot === slot);
  if (!sim) throw new Error(`no SIM in slot ${slot}`);
  return sim;
}

/**
 * 100 concurrent GET_NUMBER orders for mixed services, far more than the farm has SIMs: two
 * exclude `excludedPhone`, four ask for a SIM off the network, four for a service not offered.
 */
export function hundredMixedOrders(excludedPhone: string): NumberOrder[] {
  return [
    ...repeat(30, { country: 'russia', operator: 'any', service: 'instagram' }),
    ...repeat(2, {
      country: 'russia',
      operator: 'any',
      service: 'instagram',
      exceptionPhoneSet: [excludedPhone],
    }),
    ...repeat(20, { country: 'russia', operator: 'any', service: 'telegram' }),
    ...repeat(12, { country: 'russia', operator: 'mts', service: 'vk' }),
    ...repeat(12, { country: 'russia', operator: 'beeline', service: 'vk' }),
    ...repeat(8, { country: 'germany', operator: 'any', service: 'vk' }),
    ...repeat(8, { country: 'germany', operator: 'vodafone', service: 'telegram' }),
    ...repeat(4, { country: 'germany', operator: 'telekom', service: 'vk' }), // off the network
    ...repeat(4, { country: 'russia', operator: 'megafon', service: 'vk' }), // not offered there
  ];
}

function repeat<T>(count: number, value: T): T[] {
  return Array.from({ length: count }, () => value);
}

export function smsText(activationId: number): string {
  return `Your code for operation ${activationId} is ${String(activationId * 7919).slice(-6)}`;
}

export function staleText(phone: string): string {
  return `stale SMS to ${phone} before any operation: code 000000`;
}

export function longText(activationId: number): string {
  return `Operation ${activationId}: ${'this message is long enough to need several parts. '.repeat(5)}end.`;
}

export function numeric(a: unknown, b: unknown): number {
  return Number(a) - Number(b);
}

/** The shortest prefix of `phone` that no other configured number starts with (shorter than it). */
export function uniquePrefix(phone: string, sims: readonly ModelSim[]): string | null {
  const others = sims.map((s) => s.phone).filter((p) => p !== phone);
  for (let length = 4; length < phone.length; length++) {
    const prefix = phone.slice(0, length);
    if (!others.some((other) => other.startsWith(prefix))) return prefix;
  }
  return null;
}
