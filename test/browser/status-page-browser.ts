import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import type { AdminDeps } from '../../src/http/admin-deps.js';
import { buildAdminServer } from '../../src/http/admin-server.js';
import type { HttpApp } from '../../src/http/core/http-app.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

/** An admin server on a free loopback port and a headless Chromium to look at its status page. */
export interface StatusPageBrowser {
  /** The server, for a test that closes it to see the page notice (closing twice is harmless). */
  app: HttpApp;
  url: string;
  context: BrowserContext;
  /** Closes the browser, the server and the browser profile. */
  close(): Promise<void>;
}

/**
 * Serves `deps` and opens Chromium at 1280 × 800 with a fresh profile per run
 * (launchPersistentContext is how a user-data dir is given). Shared by the status-page tests.
 */
export async function openStatusPageBrowser(deps: AdminDeps): Promise<StatusPageBrowser> {
  const app = buildAdminServer(deps);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const userDataDir = mkdtempSync(join(tmpdir(), 'simbridge-chromium-'));
  const cleanUp = async (): Promise<void> => {
    await app.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1280, height: 800 },
    });
  } catch (err) {
    await cleanUp();
    throw err;
  }
  return {
    app,
    url,
    context,
    close: async () => {
      await context.close();
      await cleanUp();
    },
  };
}
