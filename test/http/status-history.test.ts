import { afterEach, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { MINUTE_MS, MinuteRing } from '../../src/http/minute-ring.js';
import { StatusHistory } from '../../src/http/status-history.js';
import type { StatusDocument } from '../../src/http/status-page.js';
import { sparklinePath } from '../../src/http/status-sparkline.js';
import { fakeAdminDeps, MODEMS } from '../browser/fake-admin-deps.js';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const DAY = 86_400_000;
/** "Local" midnight for the tests: UTC, whatever the host's zone. */
const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY;

describe('MinuteRing', () => {
  it('keeps the last 60 minutes per minute, oldest first, with zero for quiet minutes', () => {
    const ring = new MinuteRing(60);
    ring.addSms(T0);
    ring.addSms(T0 + 59_000);
    ring.addSms(T0 + 5 * MINUTE_MS);
    ring.addDelivery(T0 + 5 * MINUTE_MS, 400);
    ring.addDelivery(T0 + 5 * MINUTE_MS + 1, 1_200);
    const window = ring.window(T0 + 5 * MINUTE_MS + 30_000);
    expect(window).toHaveLength(60);
    expect(window[59]).toEqual({
      startMs: T0 + 5 * MINUTE_MS,
      sms: 1,
      delivered: 2,
      latencySumMs: 1_600,
      latencyMaxMs: 1_200,
    });
    expect(window[54]?.sms).toBe(2);
    expect(window.slice(0, 54).every((b) => b.sms === 0 && b.delivered === 0)).toBe(true);
  });

  it('recycles a slot when its minute comes round again, and ignores minutes older than the window', () => {
    const ring = new MinuteRing(60);
    ring.addSms(T0, 7);
    ring.addSms(T0 + 60 * MINUTE_MS); // same slot, an hour later
    ring.addSms(T0 + 30 * MINUTE_MS - 60 * MINUTE_MS); // older than what the slot holds: dropped
    const window = ring.window(T0 + 60 * MINUTE_MS);
    expect(window.at(-1)?.sms).toBe(1);
    expect(window.reduce((sum, b) => sum + b.sms, 0)).toBe(1);
  });
});

describe('sparklinePath', () => {
  it('spreads x evenly, puts the max at the top and zero at the bottom, and breaks at nulls', () => {
    expect(sparklinePath([0, 5, 10], 100, 11)).toBe('M0,11 L50,6 L100,1');
    expect(sparklinePath([3, null, 3], 100, 10)).toBe('M0,1 M100,1');
    expect(sparklinePath([0, 0], 10, 8)).toBe('M0,8 L10,8');
    expect(sparklinePath([null, null], 10, 8)).toBe('');
  });
});

describe('StatusHistory', () => {
  it('adds the store seed to what comes after, per SIM today and per minute', () => {
    const history = new StatusHistory({ dayStartOf: utcDay });
    const range = history.seedRange(T0);
    expect(range).toEqual({ dayStartMs: utcDay(T0), hourStartMs: T0 - 59 * MINUTE_MS });
    history.seed({ bySimSinceDayStart: { A: 4, B: 1 }, byMinuteSinceHourStart: { [T0 - MINUTE_MS]: 3 } }, T0);
    history.recordSms('A', T0 + 1_000);
    history.recordDelivery(900, T0 + 2_000);
    expect(history.smsToday('A', T0)).toBe(5);
    expect(history.smsToday('C', T0)).toBe(0);
    const view = history.view(T0 + 3_000);
    expect(view.smsPerMinute.slice(-2)).toEqual([3, 1]);
    expect(view.latencyMeanMs.slice(-2)).toEqual([null, 900]);
    expect(view.lastHour).toEqual({ sms: 4, delivered: 1, latencyMeanMs: 900 });
    expect(view.today).toEqual({ dayStart: new Date(utcDay(T0)).toISOString(), sms: 6 });
    expect(view.smsPath).toMatch(/^M0,32 .* L240,\d/);
  });

  it('starts the per-SIM counts from zero on a new day', () => {
    const history = new StatusHistory({ dayStartOf: utcDay });
    history.recordSms('A', T0);
    const tomorrow = utcDay(T0) + DAY + 1_000;
    expect(history.smsToday('A', tomorrow)).toBe(0);
    history.recordSms('A', tomorrow);
    expect(history.view(tomorrow).today.sms).toBe(1);
  });
});

describe('status page with SIM health and history', () => {
  let app: HttpApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  function deps() {
    const history = new StatusHistory({ dayStartOf: utcDay });
    history.recordSms('89701012345678901234', Date.now());
    history.recordSms('89701012345678901234', Date.now());
    history.recordDelivery(1_500, Date.now());
    return fakeAdminDeps({
      modems: () =>
        MODEMS.map((m, i) =>
          i === 1
            ? { ...m, registered: false, health: 'unhealthy' as const, healthReason: 'unregistered' as const }
            : { ...m, health: 'healthy' as const, healthReason: null },
        ),
      history,
    });
  }

  it('/api/status shows the unhealthy SIM with its reason, today per SIM and the last hour', async () => {
    app = buildAdminServer(deps());
    const body = (await app.inject('/api/status')).json<StatusDocument>();
    expect(body.modems.map((m) => [m.port, m.health, m.healthReason, m.smsToday])).toEqual([
      ['/dev/gsm/usb-1.2', 'healthy', null, 2],
      ['/dev/gsm/usb-1.3', 'unhealthy', 'unregistered', 0],
      ['/dev/gsm/usb-1.4', 'healthy', null, 0],
    ]);
    expect(body.health.warnings).toEqual(['1 SIM unhealthy: not offered to Onlinesim']);
    expect(body.badge.level).toBe('warn');
    expect(body.history?.smsPerMinute).toHaveLength(60);
    expect(body.history?.lastHour).toEqual({ sms: 2, delivered: 1, latencyMeanMs: 1_500 });
    expect(body.history?.smsPath).not.toBe('');
  });

  it('without a history source the page still answers, with nulls', async () => {
    app = buildAdminServer(fakeAdminDeps());
    const body = (await app.inject('/api/status')).json<StatusDocument>();
    expect(body.history).toBeNull();
    expect(body.modems[0]?.smsToday).toBeNull();
    expect(body.modems[0]?.health).toBe('healthy');
  });

  it('the HTML has the history section as inline SVG, the health line and no external asset', async () => {
    app = buildAdminServer(deps());
    const res = await app.inject('/');
    expect(res.body).toContain('<svg id="spark-sms"');
    expect(res.body).toContain('<svg id="spark-latency"');
    expect(res.body).toContain("' today'");
    expect(res.body).toContain("'unhealthy: '");
    expect(res.body).toContain("new CustomEvent('simbridge:status'");
    expect(res.body).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(res.body).not.toContain('innerHTML');
    expect(res.body.length).toBeLessThan(24_000);
  });
});
