// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is what the user sees.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runDemoCommand } from '../../src/cli/demo-command.js';
import { hasProgram } from '../support/programs.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM } from './chromium.js';

/** The demo's emulated modems sit behind ptys: socat, or the python3 relay without it. */
const HAS_PTY_RELAY = hasProgram('socat') || hasProgram('python3');

/**
 * What a newcomer sees: `simbridge demo` on emulated modems, its status page opened in real
 * headless Chromium, with every modem ready and SMS arriving as delivered rows without a reload.
 */

describe.skipIf(!HAS_CHROMIUM || !HAS_PTY_RELAY)('simbridge demo in headless Chromium', () => {
  it('shows the emulated modems ready and messages flowing to delivered on the status page', async () => {
    const stdout = new PassThrough();
    stdout.resume();
    const io = { stdin: new PassThrough(), stdout, stderr: new PassThrough().resume(), env: {} };
    const abort = new AbortController();
    let adminUrl: string | null = null;
    const exit = runDemoCommand(['--modems', '4', '--every-ms', '300', '--admin-listen', '127.0.0.1:0'], io, {
      signal: abort.signal,
      onStarted: (demo) => {
        adminUrl = demo.adminUrl;
      },
    });
    const userDataDir = mkdtempSync(join(tmpdir(), 'simbridge-demo-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const started = Date.now();
      while (adminUrl === null && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
      expect(adminUrl).not.toBeNull();
      const page = await context.newPage();
      await page.goto(`${adminUrl}/`);

      const modemRows = page.locator('#modems tbody tr');
      await expect.poll(() => modemRows.count(), { timeout: 15_000 }).toBe(4);
      await expect
        .poll(
          async () => (await page.locator('#modems tbody').innerText()).match(/\bready\b/g)?.length ?? 0,
          {
            timeout: 15_000,
          },
        )
        .toBe(4);

      // One SIM is off the network on purpose: unhealthy, in red, with its reason.
      await expect
        .poll(() => page.locator('#modems tbody tr[data-health="unhealthy"]').count(), { timeout: 10_000 })
        .toBe(1);
      expect(await page.locator('#modems tbody .health-bad').innerText()).toBe('unhealthy: unregistered');
      // Another found its own number: shown unconfirmed, with the command that offers it.
      await expect
        .poll(() => page.locator('#modems tbody .unconfirmed').count(), { timeout: 10_000 })
        .toBe(1);
      const pending = page.locator('#modems tbody tr').filter({ has: page.locator('.unconfirmed') });
      expect(await pending.locator('.hint').innerText()).toMatch(/^simbridge sims confirm \d{18,22}$/);
      expect(await pending.getAttribute('data-health')).toBe('healthy');

      // Rows reach "delivered" while the page stays open: the live refresh, not a reload.
      const deliveredRows = () => page.locator('#messages tbody tr').filter({ hasText: 'delivered' }).count();
      await expect.poll(deliveredRows, { timeout: 20_000, interval: 250 }).toBeGreaterThanOrEqual(2);
      const seen = await deliveredRows();
      await expect.poll(deliveredRows, { timeout: 20_000, interval: 250 }).toBeGreaterThan(seen);

      const shot = resolve('test-output', 'demo-status-page.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      abort.abort();
    }
    expect(await exit).toBe(0);
  }, 90_000);
});
