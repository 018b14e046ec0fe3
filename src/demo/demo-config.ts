import { join } from 'node:path';
import { type Config, configSchema } from '../config/index.js';
import type { FarmModemInfo } from '../emulator/farm.js';
import { demoSlots } from './demo-slots.js';
import { DEMO_DENY_SENDERS } from './traffic.js';

/** Every timing of the demo, in one place: short, so retries and timeouts happen on screen. */
export const DEMO_DEFAULTS = {
  modems: 4,
  adminListen: '127.0.0.1:8930',
  everyMs: 1_500,
  /** The seed's 10 s would make the audience wait; 2 s still shows the same-body resend. */
  pushRetryDelayMs: 2_000,
  pushTimeoutMs: 5_000,
  /** Every n-th PUSH_SMS is answered 500. */
  failEvery: 4,
  pollIntervalMs: 2_000,
  watchdogIntervalMs: 5_000,
  rescanIntervalMs: 2_000,
  multipartTimeoutMs: 10_000,
  /** How often the store is read for narration. */
  watchIntervalMs: 250,
  /** How long the modems get to become ready before SMS start flowing anyway. */
  readyTimeoutMs: 20_000,
  /** How long to wait for the SMS to a SIM without an operation to be stored. */
  noOperationWaitMs: 10_000,
} as const;

export const DEMO_API_KEY = 'demo-partner-key';

/** The demo's configuration, validated by the same schema as a config file (defaults applied). */
export function demoConfig(options: {
  dataDir: string;
  pushUrl: string;
  adminListen: string;
  portGlob: string;
  modems: readonly FarmModemInfo[];
  pushRetryDelayMs: number;
  /** Where rent PUSH_SMS go; with it the partner endpoint serves rent on a free loopback port. */
  pushRentUrl?: string;
}): Config {
  return configSchema.parse({
    onlinesim: {
      pushUrl: options.pushUrl,
      apiKey: DEMO_API_KEY,
      ...(options.pushRentUrl ? { pushRentUrl: options.pushRentUrl } : {}),
    },
    ...(options.pushRentUrl
      ? { reseller: { listen: '127.0.0.1:0', services: ['instagram'], rent: { enabled: true } } }
      : {}),
    admin: { listen: options.adminListen },
    storage: { sqlite: join(options.dataDir, 'simbridge-demo.db') },
    modems: {
      ports: [options.portGlob],
      pollIntervalMs: DEMO_DEFAULTS.pollIntervalMs,
      watchdogIntervalMs: DEMO_DEFAULTS.watchdogIntervalMs,
      rescanIntervalMs: DEMO_DEFAULTS.rescanIntervalMs,
    },
    // The unconfirmed SIM (demo-slots.ts) is left out: it finds its own number (AT+CNUM).
    sims: options.modems
      .filter((modem) => modem.slot !== demoSlots(options.modems.length).unconfirmed)
      .map((modem) => ({
        iccid: modem.iccid,
        phone: modem.phoneNumber.replace(/^\+/, ''),
        country: 'russia',
        operator: 'mts',
      })),
    // The emulator's network answers these codes (src/emulator/subscriber.ts).
    operators: {
      mts: { country: 'russia', imsiPrefixes: ['25001'], numberUssd: '*111*0887#', balanceUssd: '*100#' },
    },
    push: { retryDelayMs: options.pushRetryDelayMs, timeoutMs: DEMO_DEFAULTS.pushTimeoutMs },
    multipart: { timeoutMs: DEMO_DEFAULTS.multipartTimeoutMs },
    filter: { denySenders: [...DEMO_DENY_SENDERS] },
  });
}
