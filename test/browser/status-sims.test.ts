// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM } from './chromium.js';
import { fakeAdminDeps } from './fake-admin-deps.js';
import { statusSimsDeps, UNCONFIRMED_ICCID } from './fake-status-sims.js';

/** The status page's SIM balance and unconfirmed numbers, drawn by real headless Chromium. */
describe.skipIf(!HAS_CHROMIUM)('status page SIM balance and unconfirmed numbers in headless Chromium', () => {
  let app: HttpApp;
  let context: BrowserContext;
  let userDataDir: string;
  let url: string;

  beforeAll(async () => {
    app = buildAdminServer(fakeAdminDeps({ statusPage: { refreshMs: 300 }, ...statusSimsDeps() }));
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

  it('shows the balance, and the unconfirmed number with the command that confirms it', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${url}/`);
    const known = page.locator('#modems tbody tr[data-port="/dev/gsm/usb-1.2"]');
    await expect.poll(() => known.locator('td.phone .balance').innerText()).toBe('balance 123.45');
    expect(await known.locator('td.phone').innerText()).toContain('79088081050');
    expect(await known.locator('.unconfirmed').count()).toBe(0);
    const pending = page.locator('#modems tbody tr[data-port="/dev/gsm/usb-1.3"]');
    expect(await pending.locator('td.phone').innerText()).toContain('79161234567');
    expect(await pending.locator('.unconfirmed').innerText()).toBe('unconfirmed: not offered');
    expect(await pending.locator('.hint').innerText()).toBe(`simbridge sims confirm ${UNCONFIRMED_ICCID}`);
    // No balance read yet: nothing is shown rather than a made-up zero.
    expect(await pending.locator('.balance').count()).toBe(0);
    // The hint is one more line in the phone cell: the table still fits 1280 px.
    const overflows = (await page.evaluate(
      '[...document.querySelectorAll("section")].map((el) => el.scrollWidth - el.clientWidth)',
    )) as number[];
    expect(overflows).toEqual(overflows.map(() => 0));
    expect(errors).toEqual([]);
    await page.close();
  });
});
