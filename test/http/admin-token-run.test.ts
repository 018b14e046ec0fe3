import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BridgeProcess, killAllBridges, spawnBridge } from '../integration/support/bridge-process.js';

/** `simbridge run` with the admin API beyond loopback: refused without a token, guarded with one. */
describe('simbridge run: admin.listen beyond loopback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'simbridge-admin-token-run-'));
  const TOKEN = 'Adm1n-t0ken-0123456789abcdef';
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a config's ${ENV} reference, on purpose.
  const TOKEN_REFERENCE = '${SIMBRIDGE_ADMIN_TOKEN}';

  afterAll(() => {
    killAllBridges();
    rmSync(dir, { recursive: true, force: true });
  });

  function configWith(adminLines: string[]): string {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      path,
      [
        'onlinesim:',
        '  pushUrl: http://127.0.0.1:9/push',
        '  apiKey: k-for-tests',
        'admin:',
        ...adminLines,
        'storage:',
        `  sqlite: ${join(dir, `bridge-${Math.random().toString(36).slice(2)}.db`)}`,
        'modems:',
        `  ports: ["${join(dir, 'no-modem-*')}"]`,
        '',
      ].join('\n'),
    );
    return path;
  }

  const everything = (bridge: BridgeProcess) =>
    [...bridge.text, ...bridge.logs.map((line) => JSON.stringify(line))].join('\n');

  it('exits 2 without admin.token, naming admin.listen and admin.token', async () => {
    const bridge = spawnBridge(configWith(['  listen: 0.0.0.0:8930']));
    const exit = await bridge.waitForExit(20_000);
    expect(exit.code).toBe(2);
    const output = everything(bridge);
    expect(output).toContain('admin.listen: 0.0.0.0:8930 is reachable beyond loopback: set admin.token');
  });

  it('with the token: 401 without it, answers with it, /healthz open, the token in no log line', async () => {
    const bridge = spawnBridge(configWith(['  listen: 0.0.0.0:0', `  token: ${TOKEN_REFERENCE}`]), {
      SIMBRIDGE_ADMIN_TOKEN: TOKEN,
      SIMBRIDGE_LOG_LEVEL: 'debug',
    });
    const port = new URL(await bridge.adminUrl(20_000)).port;
    const base = `http://127.0.0.1:${port}`;
    const bearer = { authorization: `Bearer ${TOKEN}` };

    const read = await fetch(`${base}/api/messages`);
    expect(read.status).toBe(401);
    expect(read.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await read.json()).toMatchObject({ error: 'HTTP_UNAUTHORIZED' });
    const write = await fetch(`${base}/api/operations/1`, { method: 'DELETE' });
    expect(write.status).toBe(401);
    expect((await fetch(`${base}/api/messages`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${base}/api/operations/1`, { method: 'DELETE', headers: bearer })).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).not.toBe(401);

    expect((await bridge.stop()).code).toBe(0);
    const output = everything(bridge);
    expect(output).toContain('beyond loopback');
    expect(output).not.toContain(TOKEN);
  });
});
