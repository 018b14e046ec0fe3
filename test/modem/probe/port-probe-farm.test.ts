import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { EmulatedFarm } from '../../../src/emulator/farm.js';
import type { ModemProfileName } from '../../../src/emulator/types.js';
import { createLogger, type Logger, silentLogger } from '../../../src/log.js';
import { ModemManager } from '../../../src/modem/modem-manager.js';
import { describeWithPty } from '../../support/describe-with.js';
import { TEST_TIMINGS, waitFor } from '../farm-harness.js';

/**
 * The AT port found by probing, on emulated USB modems behind real ptys: every tty of every
 * stick matches `modems.ports`, and the fake sysfs says which ttys belong together.
 */

const PROFILES: readonly ModemProfileName[] = [
  'generic',
  'huawei-e3372',
  'zte-mf190',
  'simcom-sim800',
  'simcom-sim7600',
  'quectel-ec25',
];

const log: Logger =
  process.env.SIMBRIDGE_TEST_LOG === '1' ? createLogger({ level: 'debug' }) : silentLogger();

describeWithPty('ModemManager with every tty of each USB modem in modems.ports', { timeout: 45_000 }, () => {
  let farm: EmulatedFarm | null = null;
  let manager: ModemManager | null = null;

  afterEach(async () => {
    await manager?.stop();
    await farm?.stop();
    manager = null;
    farm = null;
  });

  async function start(
    profiles: readonly ModemProfileName[],
    sameNamesOnReplug = false,
  ): Promise<{ farm: EmulatedFarm; manager: ModemManager }> {
    farm = new EmulatedFarm({
      count: profiles.length,
      profiles,
      seed: 3,
      usbPorts: true,
      logger: log,
      // udev's /dev/gsm/probe/<usb-path> names stay the same across a replug in the same slot.
      ...(sameNamesOnReplug ? { replugPath: (path: string) => path } : {}),
    });
    await farm.start();
    manager = new ModemManager({
      ports: [join(farm.directory, 'modem-*')],
      baudRate: 115_200,
      log,
      sysfsRoot: farm.sysfsRoot,
      rescanIntervalMs: 100,
      probeTimings: { answerTimeoutMs: 250, attempts: 2 },
      probeRetryMs: 1_000,
      // Python relays bring a replugged stick's ptys up one by one, slower than USB does.
      probeSettleMs: 1_500,
      timings: TEST_TIMINGS,
      engineTimeouts: {
        defaultMs: TEST_TIMINGS.commandTimeoutMs,
        syncMs: 400,
        resyncQuietMs: 100,
        resyncMaxMs: 600,
      },
      sink: { accept: async () => undefined },
    });
    await manager.start();
    return { farm, manager };
  }

  const readyPorts = (m: ModemManager) =>
    m
      .snapshots()
      .filter((s) => s.state === 'ready')
      .map((s) => s.port)
      .sort();

  it('drives exactly the AT port of each modem, and says why', async () => {
    const { farm, manager } = await start(PROFILES);
    const atPorts = PROFILES.map((_p, slot) => farm.port(slot).path).sort();
    await waitFor(() => readyPorts(manager).length === PROFILES.length, 15_000, 'every modem ready');
    expect(readyPorts(manager)).toEqual(atPorts);
    expect(manager.snapshots()).toHaveLength(PROFILES.length);

    const reasons = new Map(
      manager
        .portChoices()
        .flatMap((choice) => choice.verdicts.map((v) => [v.path, `${v.kind}: ${v.reason}`])),
    );
    const tty = (slot: number, n: number) => join(farm.directory, `modem-0${slot}-if0${n}`);
    expect(reasons.get(tty(0, 0))).toBe('chosen: the only tty of this device that may speak AT (if00)');
    expect(reasons.get(tty(1, 2))).toBe(
      'chosen: answers AT; AT^GETPORTMODE names PCUI:2 (if02) as the URC port',
    );
    expect(reasons.get(tty(1, 0))).toMatch(/^spare: answers AT too/);
    expect(reasons.get(tty(1, 1))).toBe('silent: no OK to AT within 250 ms: silent');
    expect(reasons.get(tty(2, 1))).toMatch(/^chosen: answers AT; the first of 2 ttys that do \(if01\)/);
    expect(reasons.get(tty(4, 2))).toMatch(/^chosen: answers AT; the SIMCom .* primary AT port \(if02\)$/);
    expect(reasons.get(tty(4, 1))).toMatch(/^skipped: the SIMCom .* GPS\/NMEA port \(if01\): never opened$/);
    expect(reasons.get(tty(5, 2))).toBe(
      'chosen: answers AT; AT+QURCCFG="urcport" names usbat (if02) as the URC port',
    );
    expect(reasons.get(tty(5, 0))).toMatch(/^skipped: the Quectel .* DIAG port \(if00\): never opened$/);

    // The DIAG, GPS and audio ports of the layouts were never written to.
    for (const slot of [4, 5]) {
      for (const aux of farm.auxTtys(slot).filter((a) => a.kind !== 'secondary-at')) {
        expect({ tty: aux.name, bytes: aux.bytesReceived }).toEqual({ tty: aux.name, bytes: 0 });
      }
    }
    // A silent port of an unknown layout was asked once (two ATs), not on every rescan.
    const silent = farm.auxTtys(1).find((a) => a.kind === 'silent');
    const heard = silent?.bytesReceived ?? -1;
    expect(heard).toBe('AT\r'.length * 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(silent?.bytesReceived).toBe(heard);
  });

  it('probes a modem again when it comes back on new ttys after a replug', async () => {
    const { farm, manager } = await start(['quectel-ec25', 'huawei-e3372']);
    await waitFor(() => readyPorts(manager).length === 2, 15_000, 'both modems ready');
    const before = farm.port(1).path;
    farm.modem(1).unplug();
    await farm.port(1).ready();
    await waitFor(() => manager.driver(before)?.state === 'gone', 5_000, 'the unplugged modem gone');
    farm.modem(1).replug();
    await Promise.all([farm.port(1).ready(), ...farm.ttyPaths(1).map(() => farm.port(1).ready())]);
    const after = farm.port(1).path;
    expect(after).not.toBe(before);
    await waitFor(
      () => readyPorts(manager).includes(after),
      15_000,
      'the replugged modem ready on its new AT port',
    );
    const choice = manager.portChoices().find((c) => c.chosen === after);
    expect(choice?.verdicts.find((v) => v.path === after)?.reason).toContain('names PCUI:2 (if02)');
  });

  it('gives a modem back to its driver without probing when it returns under the same names', async () => {
    const { farm, manager } = await start(['huawei-e3372'], true);
    const at = farm.port(0).path;
    await waitFor(() => readyPorts(manager).includes(at), 15_000, 'the modem ready');
    const silent = farm.auxTtys(0).find((a) => a.kind === 'silent');
    const probedOnce = silent?.bytesReceived;
    expect(probedOnce).toBe('AT\r'.length * 2);
    farm.modem(0).unplug();
    await farm.port(0).ready();
    await waitFor(() => manager.driver(at)?.state === 'gone', 5_000, 'the unplugged modem gone');
    farm.modem(0).replug();
    await farm.port(0).ready();
    expect(farm.port(0).path).toBe(at);
    await waitFor(() => manager.driver(at)?.state === 'ready', 15_000, 'the modem ready again on its path');
    // Let a settle period and a few rescans pass: still nothing written to the silent tty.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(silent?.bytesReceived).toBe(probedOnce);
    expect(manager.snapshots()).toHaveLength(1);
  });
});
