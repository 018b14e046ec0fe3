// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees; textContent would also count a parsed <script>'s source.
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminOperation } from '../../src/http/admin-deps.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { HAS_CHROMIUM } from './chromium.js';
import { type FakeAdmin, fakeAdminDeps, message } from './fake-admin-deps.js';
import { openStatusPageBrowser, type StatusPageBrowser } from './status-page-browser.js';

/**
 * The status page in real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): rendered tables, a live refresh without reload, attacker-chosen sender
 * names shown as text, and a screenshot that is a real picture of the page.
 */

const SCREENSHOT_DIR = resolve('test-output');
const HOSTILE_SENDER = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">';

describe.skipIf(!HAS_CHROMIUM)('status page in headless Chromium', () => {
  let browser: StatusPageBrowser | undefined;
  let app: HttpApp;
  let deps: FakeAdmin;
  let context: BrowserContext;
  let url: string;

  beforeAll(async () => {
    deps = fakeAdminDeps({ statusPage: { refreshMs: 300 } });
    deps.messagesList.unshift(
      message(5, {
        multipart: {
          groupId: 1,
          total: 3,
          partsReceived: 2,
          complete: false,
          state: 'incomplete',
          latePart: false,
        },
      }),
    );
    deps.messagesList.unshift(
      message(3, {
        sender: HOSTILE_SENDER,
        text: '<b>not bold</b> & code 1234',
        status: 'no_operation',
        push: null,
      }),
    );
    browser = await openStatusPageBrowser(deps);
    ({ url, context, app } = browser);
  });

  afterAll(() => browser?.close());

  it('renders modems, messages and the outbox, refreshes live, and shows hostile text as text', async () => {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    await page.goto(`${url}/`);

    const modemRows = page.locator('#modems tbody tr');
    await expect.poll(() => modemRows.count()).toBe(3);
    const firstModem = await modemRows.nth(0).locator('td').allInnerTexts();
    expect(firstModem[0]).toBe('/dev/gsm/usb-1.2');
    expect(firstModem[1]).toBe('ready');
    expect(firstModem[2]).toBe('MTS');
    expect(firstModem[3]).toContain('21/31');
    // ICCID is shown from 1400 px up; at 1280 the phone identifies the SIM.
    expect(firstModem[4]).toBe('89701012345678901234');
    expect(await modemRows.nth(0).locator('td').nth(4).isVisible()).toBe(false);
    expect(firstModem[5]).toBe('79088081050');
    expect(firstModem[6]).toBe('#355 instagram');
    expect(await modemRows.nth(2).locator('td').nth(1).innerText()).toBe('recovering');
    expect(await page.locator('#outbox-depth').innerText()).toBe('1');
    expect(await page.locator('#outbox-age').innerText()).toBe('42 s');
    expect(await page.locator('#ops-open').innerText()).toBe('1');

    // The hostile sender is plain text in its cell: no element parsed, no script run.
    const hostileRow = page.locator('#messages tbody tr[data-id="3"]');
    expect(await hostileRow.locator('td.sender').innerText()).toBe(HOSTILE_SENDER);
    expect(await hostileRow.locator('td.text').innerText()).toBe('<b>not bold</b> & code 1234');
    expect(await page.locator('#messages img, #messages script, #messages b').count()).toBe(0);
    expect(await page.locator('#messages tbody tr[data-id="5"] .parts').innerText()).toBe(
      '2/3 parts, incomplete',
    );
    expect(await page.evaluate(() => Reflect.get(globalThis, 'pwned'))).toBeUndefined();

    // A new message and a state change appear on the next poll, without a reload.
    const updatesBefore = Number(await page.locator('body').getAttribute('data-updates'));
    deps.messagesList.unshift(
      message(6, {
        sender: 'VK',
        text: 'VK code: 5521',
        status: 'pending',
        push: { id: 6, state: 'pending', attempts: 0 },
      }),
    );
    deps.facts.outboxDepth = 2;
    await expect
      .poll(() => page.locator('#messages tbody tr[data-id="6"]').count(), { timeout: 5_000 })
      .toBe(1);
    expect(await page.locator('#messages tbody tr').first().getAttribute('data-id')).toBe('6');
    await expect.poll(() => page.locator('#outbox-depth').innerText()).toBe('2');
    expect(Number(await page.locator('body').getAttribute('data-updates'))).toBeGreaterThan(updatesBefore);
    expect(await page.evaluate('performance.getEntriesByType("navigation").length')).toBe(1);

    // Layout: no section scrolls sideways at 1280 px, rows have real height, the tables fill the width.
    const overflows = (await page.evaluate(
      '[...document.querySelectorAll("section")].map((el) => el.scrollWidth - el.clientWidth)',
    )) as number[];
    // Sections: summary, modems, rents (hidden without any), the last hour, messages.
    expect(overflows).toEqual([0, 0, 0, 0, 0]);
    const box = await page.locator('#messages tbody tr').first().boundingBox();
    expect(box?.height).toBeGreaterThan(15);
    expect(box?.width).toBeGreaterThan(600);

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, 'status-page.png');
    const png = await page.screenshot({ path, fullPage: true });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR width and height (big-endian at bytes 16 and 20).
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(500);
    // A blank 1280x800 page compresses to a few KB; tables with text do not.
    expect(statSync(path).size).toBeGreaterThan(30_000);
    expect(consoleErrors).toEqual([]);
  });

  it('on a 390 px phone: no sideways scroll, the key columns shown, a long SMS cut to three lines, failures in the badge', async () => {
    const long = `Your code is 123456. ${'This message goes on and on. '.repeat(30)}`;
    const added = [
      message(40, { text: long, receivedAtMs: Date.now() - 1_000 }),
      message(41, { status: 'invalid', text: null, receivedAtMs: Date.now() - 2_000, push: null }),
    ];
    deps.messagesList.unshift(...added);
    const phone = await context.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${url}/`);
      await expect.poll(() => phone.locator('#messages tbody tr[data-id="40"]').count()).toBe(1);
      await expect.poll(() => phone.locator('#health').getAttribute('data-level')).toBe('warn');
      expect(await phone.locator('#health').innerText()).toBe('1 invalid in 24 h');
      expect(await phone.locator('#fail-invalid').innerText()).toBe('1');

      // Strings, not functions: this project compiles without the DOM typings.
      const pageWidth = await phone.evaluate('document.documentElement.scrollWidth');
      expect(pageWidth).toBeLessThanOrEqual(390);
      const overflows = (await phone.evaluate(
        '[...document.querySelectorAll("section")].map((el) => el.scrollWidth - el.clientWidth)',
      )) as number[];
      expect(overflows.every((overflow) => overflow <= 0)).toBe(true);
      const visibleHeaders = (table: string) =>
        phone.evaluate(
          `[...document.querySelectorAll('${table} thead th')].filter((th) => th.offsetParent !== null).map((th) => th.textContent)`,
        );
      expect(await visibleHeaders('#modems')).toEqual(['Port', 'State', 'Phone', 'Active operation']);
      expect(await visibleHeaders('#messages')).toEqual(['Received', 'Sender', 'Text', 'Status']);

      // Measured in one evaluation: the rows are rebuilt on every refresh.
      const [lineHeight, shown, full, title] = (await phone.evaluate(`(() => {
        const div = document.querySelector('#messages tbody tr[data-id="40"] td.text div');
        return [parseFloat(getComputedStyle(div).lineHeight), div.clientHeight, div.scrollHeight, div.title];
      })()`)) as [number, number, number, string];
      expect(lineHeight).toBeGreaterThan(10);
      expect(shown).toBeLessThanOrEqual(Math.ceil(lineHeight * 3));
      expect(shown).toBeGreaterThan(lineHeight * 2);
      expect(full).toBeGreaterThan(shown);
      expect(title).toBe(long);

      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await phone.screenshot({ path: join(SCREENSHOT_DIR, 'status-page-390.png'), fullPage: true });
    } finally {
      await phone.close();
      deps.messagesList.splice(0, added.length);
    }
  });

  it('lists active rents, at risk first, and warns about a rent whose SIM has gone', async () => {
    const rents = [
      {
        id: 901,
        phone: '79000000901',
        service: 'rent',
        status: 'active',
        kind: 'rent',
        rent: {
          days: 1,
          rentedUntilMs: Date.now() + 3_600_000,
          smsCount: 4,
          sum: null,
          endReason: null,
          atRisk: false,
        },
      },
      {
        id: 902,
        phone: '79000000902',
        service: 'rent',
        status: 'active',
        kind: 'rent',
        rent: {
          days: 2,
          rentedUntilMs: Date.now() + 7_200_000,
          smsCount: 0,
          sum: null,
          endReason: null,
          atRisk: true,
        },
      },
    ] as unknown as AdminOperation[];
    deps.operationsList.unshift(...rents);
    const before = deps.facts.rentsAtRisk;
    deps.facts.rentsAtRisk = [{ operationId: 902, phone: '79000000902' }];
    const page = await context.newPage();
    try {
      await page.goto(`${url}/`);
      await expect.poll(() => page.locator('#rents tbody tr').count()).toBe(2);
      expect(await page.locator('#rents-section').isVisible()).toBe(true);
      const first = await page.locator('#rents tbody tr').nth(0).locator('td').allInnerTexts();
      expect(first[0]).toBe('#902');
      expect(first[5]).toBe('at risk: SIM gone');
      expect(await page.locator('#rents tbody tr').nth(1).locator('td').nth(3).innerText()).toBe('4');
      await expect.poll(() => page.locator('#health').innerText()).toContain('1 rent at risk');
    } finally {
      await page.close();
      deps.operationsList.splice(0, rents.length);
      deps.facts.rentsAtRisk = before;
    }
  });

  it('says the connection is lost when the API stops answering, and recovers', async () => {
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await expect.poll(() => page.locator('#modems tbody tr').count()).toBe(3);
    const healthy = deps.health;
    deps.modems = () => {
      throw new Error('boom');
    };
    await expect
      .poll(() => page.locator('#errors').innerText(), { timeout: 5_000 })
      .toContain('modems unavailable');
    deps.modems = () => [];
    deps.health = healthy;
    await expect.poll(() => page.locator('#errors').isVisible(), { timeout: 5_000 }).toBe(false);
    expect(await page.locator('#modems tbody td.empty').innerText()).toBe('nothing yet');
    await app.close();
    await expect.poll(() => page.locator('#conn').getAttribute('class'), { timeout: 5_000 }).toBe('lost');
  });
});
