import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllBridges, spawnBridge } from './support/bridge-process.js';

/** CONTRACT.md §1-§2: an invalid configuration stops `simbridge run` with exit 2, naming the key. */
describe('end to end: simbridge run with an invalid config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-e2e-config-'));

  afterAll(() => {
    killAllBridges();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runWith(yaml: string): Promise<{ code: number | null; output: string }> {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, yaml);
    const bridge = spawnBridge(path, { ONLINESIM_API_KEY: 'secret-value-777' });
    const exit = await bridge.waitForExit(10_000);
    return {
      code: exit.code,
      output: [...bridge.text, ...bridge.logs.map((l) => JSON.stringify(l))].join('\n'),
    };
  }

  const VALID_HEAD = `onlinesim:\n  pushUrl: http://127.0.0.1:9/push\n  apiKey: \${ONLINESIM_API_KEY}\nstorage:\n  sqlite: ${join(dir, 'never.db')}\n`;

  it('names a wrong type and an unknown key, and never echoes the API key', async () => {
    const { code, output } = await runWith(
      `${VALID_HEAD}modems:\n  ports: ["/dev/null-modem"]\n  pollIntervalMs: soon\npush:\n  retryDelayMS: 100\n`,
    );
    expect(code).toBe(2);
    expect(output).toContain('modems.pollIntervalMs');
    expect(output).toMatch(/unknown key "retryDelayMS" in push/);
    expect(output).not.toContain('secret-value-777');
  });

  it('names a missing required key', async () => {
    const { code, output } = await runWith(`onlinesim:\n  apiKey: k\nmodems:\n  ports: ["/dev/x"]\n`);
    expect(code).toBe(2);
    expect(output).toContain('onlinesim.pushUrl');
  });
});
