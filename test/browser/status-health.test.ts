// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { StatusHistory } from '../../src/http/status-history.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM } from './chromium.js';
import { fakeAdminDeps, MODEMS } from './fake-admin-deps.js';

/** The status page's SIM health and last-hour history, drawn by real headless Chromium. */
describe.skipIf(!HAS_CHROMIUM)('status page health and history in headless Chromium', () => {
  let app: HttpApp;
  let context: BrowserContext;
  let userDataDir: string;
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
    app = buildAdminServer(deps);
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    userDataDir = mkdtempSync(join(tmpdir(), 'simbridge-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1280, height: 800 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

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
    expect(await sick.locator('td.state .health-bad').innerText()).toBe('unhealthy: read_errors');
    const [red, ok] = (await page.evaluate(`[
      getComputedStyle(document.querySelector('#modems .health-bad')).color,
      getComputedStyle(document.querySelector('#modems tbody tr[data-port="/dev/gsm/usb-1.2"] .badge')).color,
    ]`)) as [string, string];
    expect(red).not.toBe(ok);
    expect(red).toMatch(/^rgb\((1[6-9]\d|2\d\d), \d{1,2}, \d{1,2}\)$/); // a red
    expect(await page.locator('#modems tbody tr[data-port="/dev/gsm/usb-1.2"] .today').innerText()).toBe(
      '5 today',
    );
    expect(await page.locator('#hist-sms').innerText()).toBe('5');
    expect(await page.locator('#hist-today').innerText()).toBe('5');
    expect(await page.locator('#hist-latency').innerText()).toBe('800 ms');
    const d = await page.locator('#spark-sms path').getAttribute('d');
    expect(d).toMatch(/^M0,32( L[\d.]+,[\d.]+)+$/);
    const box = await page.locator('#spark-sms').boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    await page.close();
  });
});
