import { describe, expect, it } from 'vitest';
import { SimHealthMonitor } from '../../src/health/sim-health-monitor.js';
import { createLogger } from '../../src/log.js';
import type { ModemIdentity, ModemSnapshot, ModemState } from '../../src/modem/types.js';

const IDENTITY: ModemIdentity = {
  manufacturer: 'EMU',
  model: 'E1',
  revision: '1',
  imei: '490154203237518',
  imsi: '250011234567890',
  iccid: '8970101234567890123f',
  vendor: 'generic',
};

function snapshot(
  state: ModemState,
  registered: boolean,
  identity: ModemIdentity | null = IDENTITY,
): ModemSnapshot {
  return {
    port: '/dev/gsm/a',
    state,
    identity,
    lastSmsAt: null,
    storageUsed: null,
    storageTotal: null,
    resets: 0,
    reconnects: 0,
    operator: null,
    signal: null,
    registered,
  };
}

function monitor(balances: Record<string, number> = {}, current: ModemSnapshot[] = []) {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } });
  const m = new SimHealthMonitor({
    rules: { readErrorsInARow: 3, minBalance: 5 },
    balances: { balanceOf: (iccid) => balances[iccid] ?? null },
    snapshots: () => current,
    intervalMs: 1_000,
    log,
  });
  return { m, lines, current };
}

describe('SimHealthMonitor', () => {
  it('marks a SIM unregistered while its ready modem says so, and healthy once registered again', () => {
    const { m } = monitor();
    expect(m.verdictOf(snapshot('ready', true))).toEqual({ health: 'healthy', reason: null });
    expect(m.verdictOf(snapshot('ready', false))).toEqual({ health: 'unhealthy', reason: 'unregistered' });
    expect(m.verdictOf(snapshot('ready', true)).health).toBe('healthy');
  });

  it('keeps the registration seen while ready through a modem reset, either way', () => {
    const { m } = monitor();
    m.verdictOf(snapshot('ready', false));
    // Resetting: the driver's radio state is stale or cleared; the SIM was off the network.
    expect(m.verdictOf(snapshot('recovering', true)).reason).toBe('unregistered');
    expect(m.verdictOf(snapshot('ready', true)).health).toBe('healthy');
    // A healthy SIM whose modem is re-initialising does not look deregistered meanwhile.
    expect(m.verdictOf(snapshot('initializing', false)).health).toBe('healthy');
  });

  it('counts failed reads in a row per SIM across drivers; one good read clears them', () => {
    const { m } = monitor();
    const ready = snapshot('ready', true);
    m.recordRead(IDENTITY, 'failed');
    m.recordRead(IDENTITY, 'failed');
    expect(m.verdictOf(ready).health).toBe('healthy');
    // The same SIM seen through a new driver (ICCID letters in another case).
    m.recordRead({ ...IDENTITY, iccid: '8970101234567890123F' }, 'failed');
    expect(m.verdictOf(ready)).toEqual({ health: 'unhealthy', reason: 'read_errors' });
    m.recordRead(IDENTITY, 'ok');
    expect(m.verdictOf(ready).health).toBe('healthy');
  });

  it('asks the balance source by normalised ICCID and judges minBalance', () => {
    const { m } = monitor({ '8970101234567890123': 4 });
    expect(m.verdictOf(snapshot('ready', true))).toEqual({ health: 'unhealthy', reason: 'low_balance' });
  });

  it('a modem without a SIM identity is not judged', () => {
    const { m } = monitor();
    expect(m.verdictOf(snapshot('ready', false, null)).health).toBe('healthy');
  });

  it('logs each change once per check, with the reason', () => {
    const current = [snapshot('ready', true)];
    const { m, lines } = monitor({}, current);
    m.check();
    expect(lines).toEqual([]);
    current[0] = snapshot('ready', false);
    m.check();
    m.check();
    current[0] = snapshot('ready', true);
    m.check();
    const logged = lines.map(
      (line) => JSON.parse(line) as { msg: string; reason: string | null; was?: string },
    );
    expect(logged.map((l) => [l.msg, l.reason, l.was])).toEqual([
      ['SIM unhealthy: not offered to Onlinesim', 'unregistered', undefined],
      ['SIM healthy again: offered to Onlinesim', null, 'unregistered'],
    ]);
    expect(m.rows()).toEqual([
      {
        port: '/dev/gsm/a',
        iccid: '8970101234567890123',
        simKey: '8970101234567890123',
        verdict: { health: 'healthy', reason: null },
      },
    ]);
  });
});
