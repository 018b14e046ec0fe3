import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { ModemManager } from '../../src/modem/modem-manager.js';
import type { ReceivedSms } from '../../src/modem/types.js';
import { FAST } from './driver-harness.js';
import { FakeChannel, FakeModem, PDU_HELLO } from './fake-commander.js';

async function waitFor(condition: () => boolean, limitMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ModemManager', () => {
  let dir = '';
  let manager: ModemManager | null = null;
  const modems = new Map<string, FakeModem>();
  const channels = new Map<string, FakeChannel>();
  const accepted: ReceivedSms[] = [];
  const logLines: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simbridge-mgr-'));
    modems.clear();
    channels.clear();
    accepted.length = 0;
    logLines.length = 0;
    const log = createLogger({
      level: 'warn',
      destination: { write: (line: string) => logLines.push(line) },
    });
    manager = new ModemManager({
      ports: [`${dir}/slot*`],
      baudRate: 115200,
      sink: { accept: async (sms) => void accepted.push(sms) },
      log,
      rescanIntervalMs: 50,
      timings: { ...FAST, pollIntervalMs: 200 },
      openChannel: async (path) => {
        // Like a real tty: an unplugged device cannot be opened.
        if (!existsSync(path)) throw new Error(`ENOENT: ${path}`);
        const channel = new FakeChannel();
        channels.set(path, channel);
        return channel;
      },
      createCommander: (channel) => {
        const path = [...channels].find(([, c]) => c === channel)?.[0] ?? '';
        const modem = modems.get(path);
        if (!modem) throw new Error(`no modem at ${path}`);
        return modem.commander();
      },
    });
  });

  afterEach(async () => {
    await manager?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function plug(name: string, modem: FakeModem): Promise<string> {
    const path = join(dir, name);
    modems.set(path, modem);
    // A link to a character device, as udev's /dev/gsm links are: the glob matches ttys only.
    await symlink('/dev/null', path);
    return path;
  }

  it('waits for hotplug when nothing matches, then starts a driver per new port', async () => {
    const mgr = manager as ModemManager;
    await mgr.start();
    expect(mgr.snapshots()).toEqual([]);
    expect(logLines.join('')).toContain(`no modem found matching ${dir}/slot*; waiting for hotplug`);
    const ready: string[] = [];
    mgr.on('modemReady', (snapshot) => ready.push(snapshot.port));
    const a = new FakeModem();
    a.store(PDU_HELLO);
    const pathA = await plug('slot01', a);
    const b = new FakeModem();
    b.iccid = '89701019999999999999';
    const pathB = await plug('slot02', b);
    // What udev puts next to the links, and a stray file: no driver, so no phantom `gone` modem.
    await mkdir(join(dir, 'slot-probe'));
    await writeFile(join(dir, 'slot-notes'), 'not a tty');
    await waitFor(() => ready.length === 2 && accepted.length === 1);
    expect(ready.sort()).toEqual([pathA, pathB]);
    expect(accepted[0]?.port).toBe(pathA);
    expect(mgr.snapshots().map((s) => [s.port, s.state, s.identity?.iccid])).toEqual([
      [pathA, 'ready', '89701012345678901234'],
      [pathB, 'ready', '89701019999999999999'],
    ]);
    await mgr.rescan();
    expect(mgr.snapshots()).toHaveLength(2);
  });

  it('recognises a replugged modem on a new path by its ICCID and keeps its history', async () => {
    const mgr = manager as ModemManager;
    const modem = new FakeModem();
    const oldPath = await plug('slot01', modem);
    await mgr.start();
    await waitFor(() => mgr.snapshots()[0]?.state === 'ready');
    modem.store(PDU_HELLO);
    await waitFor(() => accepted.length === 1);
    const gone: string[] = [];
    mgr.on('modemGone', (snapshot) => gone.push(snapshot.port));
    await unlink(oldPath);
    channels.get(oldPath)?.unplug();
    await waitFor(() => gone.length === 1);
    const newPath = await plug('slot07', modem);
    modem.store(PDU_HELLO);
    await waitFor(() => accepted.length === 2 && mgr.snapshots().length === 1);
    const [snapshot] = mgr.snapshots();
    expect(snapshot).toMatchObject({ port: newPath, state: 'ready', reconnects: 1 });
    expect(snapshot?.lastSmsAt).not.toBeNull();
    expect(accepted[1]?.port).toBe(newPath);
  });

  it('serves a SIM through one port only, and moves to the twin port once the first is unplugged', async () => {
    const mgr = manager as ModemManager;
    const modem = new FakeModem();
    const oldPath = await plug('slot01', modem);
    await mgr.start();
    await waitFor(() => mgr.snapshots()[0]?.state === 'ready');
    const newPath = await plug('slot02', modem);
    // Same SIM on a second port while the first is live: that port is parked, not served.
    await waitFor(() => logLines.join('').includes('SIM already served on another port'));
    expect(mgr.snapshots().map((s) => s.port)).toEqual([oldPath]);
    await unlink(oldPath);
    channels.get(oldPath)?.unplug();
    await waitFor(() => mgr.snapshots().length === 1 && mgr.snapshots()[0]?.port === newPath);
    await waitFor(() => mgr.snapshots()[0]?.state === 'ready');
    expect(mgr.snapshots()[0]).toMatchObject({ port: newPath, state: 'ready', reconnects: 1 });
  });

  it('treats a path that vanished from two scans as unplugged even when the port said nothing', async () => {
    const mgr = manager as ModemManager;
    const path = await plug('slot01', new FakeModem());
    await mgr.start();
    await waitFor(() => mgr.snapshots()[0]?.state === 'ready');
    await unlink(path);
    await waitFor(() => mgr.snapshots()[0]?.state === 'gone');
    expect(channels.get(path)?.isOpen).toBe(false);
  });
});
