import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllBridges, spawnBridge } from '../integration/support/bridge-process.js';

/**
 * `npm start` on a fresh clone: the tracked config/simbridge.yaml with nothing set and no modem.
 * The bridge runs, and says what is missing and where to go next.
 */
describe('simbridge run on a fresh clone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-first-start-'));
  afterAll(() => {
    killAllBridges();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns about the placeholder key and URL and the empty sims, and points to doctor and the demo', async () => {
    // The tracked file, with only the machine-specific paths moved into a temp folder.
    const tracked = readFileSync('config/simbridge.yaml', 'utf8')
      .replace('./data/simbridge.db', join(dir, 'simbridge.db'))
      .replace('"/dev/gsm/*"', `"${join(dir, 'gsm', '*')}"`)
      .replace('127.0.0.1:8930', '127.0.0.1:0');
    const path = join(dir, 'simbridge.yaml');
    writeFileSync(path, tracked);
    // Unset (not empty): the placeholders apply only to unset variables.
    const bridge = spawnBridge(path, { ONLINESIM_API_KEY: undefined, ONLINESIM_PUSH_URL: undefined });
    await bridge.adminUrl();
    const warnings = () => bridge.logs.filter((line) => line.level === 40).map((line) => String(line.msg));
    await bridge.waitForLog((line) => String(line.msg).includes('simbridge doctor'), 'the no-modem advice');
    expect(warnings()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^onlinesim\.apiKey is the public placeholder.*ONLINESIM_API_KEY/),
        expect.stringMatching(/^onlinesim\.pushUrl is the local placeholder.*ONLINESIM_PUSH_URL/),
        expect.stringMatching(/^sims is empty and no operators are set: SMS are stored but not pushed/),
        expect.stringMatching(/no modem found.*`simbridge doctor`.*`npm run demo`/),
      ]),
    );
    expect((await bridge.stop()).code).toBe(0);
  });
});
