import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM } from './chromium.js';
import { fakeAdminDeps } from './fake-admin-deps.js';
import { statusSimsDeps, UNCONFIRMED_ICCID } from './fake-status-sims.js';
import { openStatusPageBrowser, type StatusPageBrowser } from './status-page-browser.js';

/** The status page's SIM balance and unconfirmed numbers, drawn by real headless Chromium. */
describe.skipIf(!HAS_CHROMIUM)('status page SIM balance and unconfirmed numbers in headless Chromium', () => {
  let browser: StatusPageBrowser | undefined;
  let context: BrowserContext;
  let url: string;

  beforeAll(async () => {
    browser = await openStatusPageBrowser(
      fakeAdminDeps({ statusPage: { refreshMs: 300 }, ...statusSimsDeps() }),
    );
    ({ url, context } = browser);
  });

  afterAll(() => browser?.close());

  it('shows the balance, and the unconfirmed number with the command that confirms it', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${url}/`);
    const known = page.locator('#modems tbody tr[data-port="/dev/gsm/usb-1.2"]');
    await expect.poll(() => known.locator('td.phone .balance').textContent()).toBe('balance 123.45');
    expect(await known.locator('td.phone').textContent()).toContain('79088081050');
    expect(await known.locator('.unconfirmed').count()).toBe(0);
    const pending = page.locator('#modems tbody tr[data-port="/dev/gsm/usb-1.3"]');
    expect(await pending.locator('td.phone').textContent()).toContain('79161234567');
    expect(await pending.locator('.unconfirmed').textContent()).toBe('unconfirmed: not offered');
    expect(await pending.locator('.hint').textContent()).toBe(`simbridge sims confirm ${UNCONFIRMED_ICCID}`);
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
