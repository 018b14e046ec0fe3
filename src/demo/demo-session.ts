import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { EmulatedFarm } from '../emulator/farm.js';
import { createLogger } from '../log.js';
import { type RunningBridge, startBridge } from '../main.js';
import { DEMO_API_KEY, DEMO_DEFAULTS, demoConfig } from './demo-config.js';
import { type DemoOnlinesim, startDemoOnlinesim } from './demo-onlinesim.js';
import { rentOneSim } from './demo-rent.js';
import { demoSlots } from './demo-slots.js';
import { MessageWatcher } from './message-watcher.js';
import { Narrator, narratedLogDestination } from './narrator.js';
import { TrafficInjector } from './traffic-injector.js';
import { takeOneSimOffTheNetwork } from './unhealthy-sim.js';

/**
 * `simbridge demo` as an object: emulated modems on ptys -> the real bridge (in this process,
 * through `startBridge`, exactly as `simbridge run` builds it) -> a local mock Onlinesim, with
 * SMS injected on a timer and every step narrated. `stop()` tears all of it down.
 */

export interface DemoSessionOptions {
  modems: number;
  /** `host:port` for the admin API and status page; port 0 picks a free one. */
  adminListen: string;
  everyMs: number;
  out: Writable;
  pushRetryDelayMs?: number;
  failEvery?: number;
  random?: () => number;
}

export interface DemoStats {
  injected: number;
  pushesReceived: number;
  pushesFailed: number;
  stored: number;
  delivered: number;
}

export interface DemoSession {
  adminUrl: string;
  mockUrl: string;
  stats(): DemoStats;
  stop(): Promise<void>;
}

/** Starts everything; resolves once SMS start flowing. Cleans up what it started if it fails. */
export async function startDemoSession(options: DemoSessionOptions): Promise<DemoSession> {
  const narrator = new Narrator(options.out);
  const retryDelayMs = options.pushRetryDelayMs ?? DEMO_DEFAULTS.pushRetryDelayMs;
  const dataDir = mkdtempSync(join(tmpdir(), 'simbridge-demo-'));
  const farm = new EmulatedFarm({
    count: options.modems,
    profiles: 'mixed',
    modemOptions: { bootTimeScale: 0 },
  });
  let onlinesim: DemoOnlinesim | null = null;
  let bridge: RunningBridge | null = null;
  const teardown = async (): Promise<void> => {
    await bridge?.stop();
    await onlinesim?.close();
    await farm.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await farm.start();
    onlinesim = await startDemoOnlinesim({
      narrator,
      failEvery: options.failEvery ?? DEMO_DEFAULTS.failEvery,
      retryDelayMs,
    });
    const config = demoConfig({
      dataDir,
      pushUrl: onlinesim.url,
      pushRentUrl: onlinesim.rentUrl,
      adminListen: options.adminListen,
      portGlob: join(farm.directory, 'modem-*'),
      modems: farm.describe(),
      pushRetryDelayMs: retryDelayMs,
    });
    const log = createLogger({ level: 'error', destination: narratedLogDestination(narrator) });
    bridge = await startBridge(config, { log });
  } catch (err) {
    await teardown();
    throw err;
  }

  narrator.plain(`status page: ${bridge.adminUrl}/`);
  narrator.plain(
    `mock Onlinesim: ${onlinesim.url} (answers 200; 1 in ${options.failEvery ?? DEMO_DEFAULTS.failEvery} PUSH_SMS gets a 500)`,
  );
  const slots = demoSlots(options.modems);
  // The unconfirmed SIM would push nothing, the unhealthy one gets nothing: neither has traffic.
  const quiet = [slots.unconfirmed, slots.unhealthy].filter((slot): slot is number => slot !== null);
  const traffic = new TrafficInjector({
    farm,
    repo: bridge.repository,
    narrator,
    random: options.random ?? Math.random,
    skipSlots: new Set(quiet),
  });
  try {
    const ready = await waitForModems(bridge, options.modems);
    // The unhealthy SIM leaves the network first, so the rent cannot fall on it.
    if (slots.unhealthy !== null) {
      takeOneSimOffTheNetwork(farm, slots.unhealthy, narrator);
      await waitForDeregistered(bridge, farm.modem(slots.unhealthy).identity.iccid);
    }
    // The rent's SIM is kept out of the activations, which open on the others; then GET_NUMBER
    // (rent) can only take that one (the unconfirmed and unhealthy SIMs are not offered).
    const rentSlot = slots.rent !== null && bridge.resellerUrl ? slots.rent : null;
    if (rentSlot !== null) traffic.reserve(rentSlot);
    await traffic.openOperations();
    if (rentSlot !== null && bridge.resellerUrl) {
      const rent = await rentOneSim(bridge.resellerUrl, DEMO_API_KEY, narrator);
      if (rent === null) await traffic.release(rentSlot);
    }
    narrator.say('modems', `${ready} of ${options.modems} modems ready; an SMS every ${options.everyMs} ms`);
    if (slots.unconfirmed !== null)
      await narrateUnconfirmed(bridge.adminUrl, farm, slots.unconfirmed, narrator);
  } catch (err) {
    await teardown();
    throw err;
  }
  for (const modem of farm.modems()) {
    modem.on('deleted', (info) =>
      narrator.say(
        'modem',
        `${modem.name}: SIM copy at index ${info.index} deleted, after the store committed it`,
      ),
    );
  }
  const watcher = new MessageWatcher({
    repo: bridge.repository,
    narrator,
    intervalMs: DEMO_DEFAULTS.watchIntervalMs,
  });
  watcher.start();
  traffic.start(options.everyMs);

  const running = { bridge, onlinesim };
  let stopping: Promise<void> | null = null;
  return {
    adminUrl: bridge.adminUrl,
    mockUrl: onlinesim.url,
    stats: () => ({
      injected: traffic.injected,
      pushesReceived: running.onlinesim.counts.received,
      pushesFailed: running.onlinesim.counts.failed,
      stored: watcher.counts.stored,
      delivered: watcher.counts.delivered,
    }),
    stop() {
      stopping ??= (async () => {
        await traffic.stop();
        await watcher.poll();
        await watcher.stop();
        await teardown();
        const { received, failed } = running.onlinesim.counts;
        narrator.plain(
          `demo stopped: ${traffic.injected} SMS injected, ${watcher.counts.stored} stored, ` +
            `${watcher.counts.delivered} delivered, ${received} PUSH_SMS received by the mock (${failed} answered 500)`,
        );
      })();
      return stopping;
    },
  };
}

/** Says which SIM found its own number and waits for confirmation (not offered, no traffic). */
async function narrateUnconfirmed(adminUrl: string, farm: EmulatedFarm, slot: number, narrator: Narrator) {
  const iccid = farm.modem(slot).identity.iccid;
  const deadline = Date.now() + DEMO_DEFAULTS.readyTimeoutMs;
  while (Date.now() < deadline) {
    const sims = (await (await fetch(`${adminUrl}/api/sims`)).json()) as {
      iccid: string;
      phone: string | null;
    }[];
    const sim = sims.find((s) => s.iccid === iccid && s.phone !== null);
    if (sim) {
      narrator.say(
        'sims',
        `${farm.modem(slot).name}: its SIM is not in the config; it reported ${sim.phone} itself (AT+CNUM): ` +
          `unconfirmed, so not offered to Onlinesim until "simbridge sims confirm ${iccid}"`,
      );
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Until the bridge has heard that SIM leave the network (its `+CREG` URC), at most readyTimeoutMs. */
async function waitForDeregistered(bridge: RunningBridge, iccid: string): Promise<void> {
  const deadline = Date.now() + DEMO_DEFAULTS.readyTimeoutMs;
  const heard = () =>
    bridge.modems
      .snapshots()
      .some((s) => s.identity?.iccid === iccid && s.state === 'ready' && !s.registered);
  while (!heard() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function waitForModems(bridge: RunningBridge, count: number): Promise<number> {
  const deadline = Date.now() + DEMO_DEFAULTS.readyTimeoutMs;
  const readyCount = () => bridge.modems.snapshots().filter((s) => s.state === 'ready').length;
  while (readyCount() < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return readyCount();
}
