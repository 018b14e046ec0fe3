import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setup, until } from './driver-harness.js';
import { PDU_HELLO, PDU_WORLD } from './fake-commander.js';

describe('ModemDriver receiving', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sweeps stored messages at ready and deletes each only after its accept resolved', async () => {
    const { modem, sink, driver } = setup();
    modem.store(PDU_HELLO);
    modem.store(PDU_WORLD, 1);
    driver.start();
    await until(() => modem.storage.size === 0);
    expect(driver.state).toBe('ready');
    expect(sink.accepted.map((sms) => sms.pdu)).toEqual([PDU_HELLO, PDU_WORLD]);
    expect(modem.events).toEqual(['accept:1', 'delete:1', 'accept:2', 'delete:2']);
    expect(sink.accepted[0]).toMatchObject({
      port: '/dev/gsm/slot01',
      iccid: '89701012345678901234',
      imsi: '250011234567890',
      origin: { kind: 'stored', storage: 'SM', index: 1 },
      status: 0,
      textMode: null,
    });
    await driver.stop();
  });

  it('keeps a message whose accept rejected and delivers it on the next poll', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 1_000 });
    modem.store(PDU_HELLO);
    sink.rejectNext = 1;
    driver.start();
    await until(() => driver.state === 'ready' && modem.count(/^AT\+CMGL/) >= 1);
    await vi.advanceTimersByTimeAsync(50);
    expect(modem.storage.size).toBe(1);
    expect(modem.count(/^AT\+CMGD/)).toBe(0);
    await until(() => modem.storage.size === 0, 3_000);
    expect(sink.accepted).toHaveLength(1);
    expect(modem.events).toEqual(['accept:1', 'delete:1']);
    await driver.stop();
  });

  it('reads a +CMTI that arrives in the middle of a listing, and hands each index up once', async () => {
    const { modem, sink, driver } = setup();
    modem.store(PDU_HELLO);
    let injected = false;
    modem.on(/^AT\+CMGL=4$/, () => {
      const lines: string[] = [];
      for (const [index, m] of modem.storage) lines.push(`+CMGL: ${index},${m.status},,39`, m.pdu);
      if (!injected) {
        injected = true;
        const index = modem.store(PDU_WORLD);
        modem.at.urc(`+CMTI: "SM",${index}`);
      }
      return { lines };
    });
    driver.start();
    await until(() => sink.accepted.length === 2 && modem.storage.size === 0);
    await vi.advanceTimersByTimeAsync(100);
    const origins = sink.accepted.map((sms) => sms.origin);
    origins.sort((a, b) => (a.kind === 'stored' && b.kind === 'stored' ? a.index - b.index : 0));
    expect(origins).toEqual([
      { kind: 'stored', storage: 'SM', index: 1 },
      { kind: 'stored', storage: 'SM', index: 2 },
    ]);
    expect(modem.count(/^AT\+CMGR=2$/)).toBe(1);
    await driver.stop();
  });

  it('finds a message whose +CMTI was dropped on the next poll', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 2_000 });
    driver.start();
    await until(() => driver.state === 'ready');
    modem.store(PDU_HELLO);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sink.accepted).toHaveLength(0);
    await until(() => sink.accepted.length === 1, 2_000);
    await until(() => modem.storage.size === 0);
    await driver.stop();
  });

  it('never deletes a slot refilled after the listing was taken', async () => {
    const { modem, sink, driver } = setup();
    modem.store(PDU_HELLO);
    modem.store(PDU_WORLD);
    let gate: (() => void) | null = null;
    // Accept of index 1 is slow; meanwhile +CMTI for index 2 is handled, index 2 refilled.
    const accept = sink.accept.bind(sink);
    sink.accept = async (sms) => {
      if (sms.origin.kind === 'stored' && sms.origin.index === 1 && gate === null) {
        await new Promise<void>((resolve) => {
          gate = resolve;
        });
      }
      return accept(sms);
    };
    driver.start();
    await until(() => gate !== null);
    modem.at.urc('+CMTI: "SM",2');
    await until(() => modem.events.includes('delete:2'));
    modem.storage.set(2, { status: 0, pdu: PDU_HELLO.replace('F0', 'F1') });
    (gate as unknown as () => void)();
    await until(() => modem.events.includes('delete:1'));
    await vi.advanceTimersByTimeAsync(100);
    // The refilled slot 2 is still there: the stale listing did not delete it unacked.
    expect(modem.storage.has(2)).toBe(true);
    expect(modem.events.filter((e) => e === 'delete:2')).toHaveLength(1);
    await driver.sweepNow();
    expect(modem.storage.size).toBe(0);
    expect(sink.accepted).toHaveLength(3);
    await driver.stop();
  });

  it('never hands the same index up twice while a reset re-initialises mid-accept', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 600_000 });
    modem.store(PDU_HELLO);
    let calls = 0;
    let release: (() => void) | null = null;
    const accept = sink.accept.bind(sink);
    sink.accept = async (sms) => {
      calls += 1;
      if (release === null) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return accept(sms);
    };
    driver.start();
    await until(() => release !== null);
    modem.at.urc('RDY');
    await until(() => modem.count(/^AT\+CNMI=2/) === 2 && driver.state === 'ready');
    void driver.sweepNow();
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toBe(1);
    (release as unknown as () => void)();
    await until(() => modem.storage.size === 0 && modem.count(/^AT\+CMGL/) >= 2);
    expect(calls).toBe(1);
    expect(modem.events).toEqual(['accept:1', 'delete:1']);
    await driver.stop();
  });

  it('drains at once on ^SMMEMFULL without waiting for the poll (Huawei)', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 600_000 });
    modem.manufacturer = 'huawei';
    modem.model = 'E3531';
    driver.start();
    await until(() => driver.state === 'ready' && modem.count(/^AT\+CMGL/) === 1);
    for (let i = 0; i < 5; i += 1) modem.store(PDU_HELLO);
    modem.at.urc('^SMMEMFULL: "SM"');
    await until(() => sink.accepted.length === 5, 1_000);
    expect(modem.storage.size).toBe(0);
    expect(driver.identity?.vendor).toBe('huawei');
    expect(modem.sent).toContain('AT^CURC=0');
    await driver.stop();
  });

  it('drains at once on an unsolicited +CMS ERROR: 322', async () => {
    const { modem, sink, driver } = setup({ pollIntervalMs: 600_000 });
    driver.start();
    await until(() => driver.state === 'ready' && modem.count(/^AT\+CMGL/) === 1);
    modem.store(PDU_HELLO);
    modem.at.urc('+CMS ERROR: 322');
    await until(() => sink.accepted.length === 1, 1_000);
    await driver.stop();
  });

  it('acknowledges a +CMT with AT+CNMA only after accept, and not at all when accept fails', async () => {
    const { modem, sink, driver } = setup();
    modem.cnmiTest = '+CNMI: (1,2),(0,2,3),(0),(0,2),(0,1)';
    driver.start();
    await until(() => driver.state === 'ready');
    expect(modem.sent).toContain('AT+CNMI=2,2,0,0,0');
    expect(modem.sent).toContain('AT+CSMS=1');
    sink.rejectNext = 1;
    modem.at.urc('+CMT: ,39', PDU_HELLO);
    await vi.advanceTimersByTimeAsync(50);
    expect(modem.count(/^AT\+CNMA$/)).toBe(0);
    modem.at.urc('+CMT: ,39', PDU_WORLD);
    await until(() => modem.count(/^AT\+CNMA$/) === 1);
    expect(sink.accepted.map((sms) => [sms.origin.kind, sms.pdu])).toEqual([['direct', PDU_WORLD]]);
    await driver.stop();
  });
});
