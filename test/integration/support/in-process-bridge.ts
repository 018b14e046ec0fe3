import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../../src/config/index.js';
import { generateIdentity } from '../../../src/emulator/identity.js';
import { EmulatedModem } from '../../../src/emulator/modem.js';
import { silentLogger } from '../../../src/log.js';
import { type RunningBridge, type StartBridgeOptions, startBridge } from '../../../src/main.js';
import { EmulatorChannel } from '../../modem/emulated-harness.js';

export const RIG_API_KEY = 'in-process-key-0123';

export interface InProcessRig {
  bridge: RunningBridge;
  /** Stops the bridge and starts a new one on the same config, store and modems. */
  restart(): Promise<void>;
  modems: EmulatedModem[];
  /** Digits, no '+', per slot. */
  phones: string[];
  iccids: string[];
  dir: string;
  /** POST to the partner endpoint with the key. */
  reseller(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  admin(path: string): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The whole bridge in this process (`startBridge`, as `simbridge run` builds it) over emulated
 * modems reached through in-process channels: no pty, no child process, real timers. The port
 * paths are links to /dev/null so that the manager's glob finds them like udev's links.
 */
export async function startInProcessRig(
  count: number,
  configOverrides: Record<string, unknown> = {},
  options: Pick<StartBridgeOptions, 'balances'> & {
    identitySeed?: number;
    /** The `sims:` section's settings (`minBalance`, ...) next to the rig's list of SIMs. */
    simOptions?: Record<string, unknown>;
    /** Sets up the emulated modems (USSD answers, ...) before the bridge first talks to them. */
    prepareModems?: (modems: readonly EmulatedModem[]) => void;
  } = {},
): Promise<InProcessRig> {
  const { identitySeed = 5, simOptions, prepareModems, ...bridgeOptions } = options;
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-inproc-'));
  const modems = Array.from(
    { length: count },
    (_, slot) =>
      new EmulatedModem({
        name: `emu-${slot}`,
        identity: generateIdentity(identitySeed, slot),
        // Paced at a real line speed: its timers let the event loop breathe as a serial port does
        // (at unlimited speed an init loop on microtasks alone would starve every timer).
        baudRate: 115_200,
        bootTimeScale: 0,
        now: () => Date.now(),
      }),
  );
  prepareModems?.(modems);
  const byPath = new Map<string, EmulatedModem>();
  modems.forEach((modem, slot) => {
    const path = join(dir, `slot${slot}`);
    symlinkSync('/dev/null', path);
    byPath.set(path, modem);
  });
  const phones = modems.map((m) => m.identity.phoneNumber.replace(/^\+/, ''));
  const iccids = modems.map((m) => m.identity.iccid);
  const config = configSchema.parse({
    onlinesim: { pushUrl: 'http://127.0.0.1:9/push', apiKey: RIG_API_KEY },
    reseller: { listen: '127.0.0.1:0', services: ['vk'] },
    admin: { listen: '127.0.0.1:0' },
    storage: { sqlite: join(dir, 'simbridge.db') },
    modems: { ports: [join(dir, 'slot*')], rescanIntervalMs: 200, pollIntervalMs: 500 },
    sims: simsSection(
      modems.map((m, slot) => ({
        iccid: m.identity.iccid,
        phone: phones[slot],
        country: 'russia',
        operator: 'mts',
      })),
      simOptions,
    ),
    log: { level: 'silent' },
    ...configOverrides,
  });
  const start = () =>
    startBridge(config, {
      log: silentLogger(),
      ...bridgeOptions,
      modems: {
        openChannel: async (path) => {
          const modem = byPath.get(path);
          if (!modem) throw new Error(`no emulated modem at ${path}`);
          return new EmulatorChannel(modem);
        },
      },
    });
  const rig: InProcessRig = {
    bridge: await start(),
    async restart() {
      await rig.bridge.stop();
      rig.bridge = await start();
    },
    modems,
    phones,
    iccids,
    dir,
    async reseller(body) {
      const response = await fetch(rig.bridge.resellerUrl ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: RIG_API_KEY, ...body }),
      });
      return (await response.json()) as Record<string, unknown>;
    },
    admin: (path) => fetch(`${rig.bridge.adminUrl}${path}`),
    async close() {
      await rig.bridge.stop();
      for (const modem of modems) modem.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** `sims:` as a plain list, or `{...options, list}` when the test sets the section's options. */
function simsSection(list: Record<string, unknown>[], options: Record<string, unknown> | undefined): unknown {
  return options === undefined ? list : { ...options, list };
}
