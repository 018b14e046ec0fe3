import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusHistory } from '../../src/http/status-history.js';
import { HAS_CHROMIUM } from './chromium.js';
import { fakeAdminDeps, MODEMS } from './fake-admin-deps.js';
import { openStatusPageBrowser, type StatusPageBrowser } from './status-page-browser.js';

/** The status page's SIM health and last-hour history, drawn by real headless Chromium. */
describe.skipIf(!HAS_CHROMIUM)('status page health and history in headless Chromium', () => {
  let browser: StatusPageBrowser | undefined;
  let context: BrowserContext;
  let url: string;

  beforeAll(async () => {
    const history = new StatusHistory();
    const now = Date.now();
    for (let i = 0; i < 5; i++) history.recordSms('89701012345678901234', now - i * 60_000);
    history.recordDelivery(800, now);
    const deps = fakeAdminDeps({
      statusPage: { refreshMs: 300 },
      history,
      modems: () =>
        MODEMS.map((m, i) =>
          i === 1 ? { ...m, health: 'unhealthy' as const, healthReason: 'read_errors' as const } : m,
        ),
    });
    browser = await openStatusPageBrowser(deps);
    ({ url, context } = browser);
  });

  afterAll(() => browser?.close());

  it('shows the unhealthy SIM in red with its reason, today per SIM and both sparklines', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    await page.goto(`${url}/`);
    const sick = page.locator('#modems tbody tr[data-port="/dev/gsm/usb-1.3"]');
    await expect.poll(() => sick.getAttribute('data-health')).toBe('unhealthy');
    expect(await sick.locator('td.state .health-bad').textContent()).toBe('unhealthy: read_errors');
    const [red, ok] = (await page.evaluate(`[
      getComputedStyle(document.querySelector('#modems .health-bad')).color,
      getComputedStyle(document.querySelector('#modems tbody tr[data-port="/dev/gsm/usb-1.2"] .badge')).color,
    ]`)) as [string, string];
    expect(red).not.toBe(ok);
    expect(red).toMatch(/^rgb\((1[6-9]\d|2\d\d), \d{1,2}, \d{1,2}\)$/); // a red
    expect(await page.locator('#modems tbody tr[data-port="/dev/gsm/usb-1.2"] .today').textContent()).toBe(
      '5 today',
    );
    expect(await page.locator('#hist-sms').textContent()).toBe('5');
    expect(await page.locator('#hist-today').textContent()).toBe('5');
    expect(await page.locator('#hist-latency').textContent()).toBe('800 ms');
    const d = await page.locator('#spark-sms path').getAttribute('d');
    expect(d).toMatch(/^M0,32( L[\d.]+,[\d.]+)+$/);
    const box = await page.locator('#spark-sms').boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    await page.close();
  });
});
